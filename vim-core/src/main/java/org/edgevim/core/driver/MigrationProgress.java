package org.edgevim.core.driver;

import java.time.Duration;

/**
 * A snapshot of a running (or just finished) migration job, as a host reports it.
 *
 * @param state                   where the job is
 * @param memoryTotal             bytes of guest memory to move
 * @param memoryProcessed         bytes moved so far (including re-sent dirty pages)
 * @param memoryRemaining         bytes still to move
 * @param iteration               pre-copy passes over memory so far (0 if the backend does not say)
 * @param dirtyRateBytesPerSecond how fast the guest dirties memory (0 if unknown)
 * @param elapsed                 time since the job started
 * @param downtime                how long the guest was paused at switch-over, for a completed
 *                                migration where the backend measured it; else null
 */
public record MigrationProgress(JobState state, long memoryTotal, long memoryProcessed, long memoryRemaining,
                                long iteration, long dirtyRateBytesPerSecond, Duration elapsed, Duration downtime) {

    public static final MigrationProgress NONE = new MigrationProgress(JobState.NONE, 0, 0, 0, 0, 0, Duration.ZERO,
            null);

    /** Job states in the backend-neutral sense (libvirt's virDomainJobType values map onto these). */
    public enum JobState {
        NONE, RUNNING, COMPLETED, FAILED, CANCELLED
    }
}
