package org.edgevim.migration;

import org.edgevim.core.driver.MigrationProgress;

/**
 * A migration's figures as the hosts report them (libvirt's job statistics).
 *
 * @param memoryTotalBytes        guest memory to move
 * @param memoryProcessedBytes    moved so far, re-sent dirty pages included
 * @param memoryRemainingBytes    still to move
 * @param iteration               pre-copy passes over memory
 * @param dirtyRateBytesPerSecond how fast the guest dirties memory
 * @param elapsedMs               since the copy started
 * @param downtimeMs              the guest's pause at switch-over, once completed (null before)
 */
public record MigrationStatistics(long memoryTotalBytes, long memoryProcessedBytes, long memoryRemainingBytes,
        long iteration, long dirtyRateBytesPerSecond, long elapsedMs, Long downtimeMs) {

    public static final MigrationStatistics NONE = new MigrationStatistics(0, 0, 0, 0, 0, 0, null);

    static MigrationStatistics of(MigrationProgress p) {
        return new MigrationStatistics(p.memoryTotal(), p.memoryProcessed(), p.memoryRemaining(), p.iteration(),
                p.dirtyRateBytesPerSecond(), p.elapsed().toMillis(), p.downtime() == null ? null : p.downtime().toMillis());
    }
}
