package org.edgevim.core.driver;

import java.time.Duration;

/**
 * A snapshot of a running (or just finished) migration job, as the source host reports it.
 *
 * @param state           where the job is
 * @param memoryTotal     bytes of guest memory to move
 * @param memoryProcessed bytes moved so far (including re-sent dirty pages)
 * @param memoryRemaining bytes still to move
 * @param elapsed         time since the job started
 */
public record MigrationProgress(JobState state, long memoryTotal, long memoryProcessed, long memoryRemaining,
                                Duration elapsed) {

    /** Job states in the backend-neutral sense (libvirt's virDomainJobType values map onto these). */
    public enum JobState {
        NONE, RUNNING, COMPLETED, FAILED, CANCELLED
    }
}
