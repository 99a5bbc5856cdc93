package org.edgevim.libvirt;

import org.edgevim.core.driver.MigrationProgress.JobState;

/**
 * libvirt's virDomainJobType, as DomainJobInfo.getType() returns it: plain values 0-5. (libvirt-java's
 * Domain.JobType constants are bit flags and must not be compared with these.)
 */
final class JobTypes {

    private JobTypes() {
    }

    static JobState state(int virDomainJobType) {
        return switch (virDomainJobType) {
            case 1, 2 -> JobState.RUNNING;   // BOUNDED, UNBOUNDED
            case 3 -> JobState.COMPLETED;
            case 4 -> JobState.FAILED;
            case 5 -> JobState.CANCELLED;
            default -> JobState.NONE;        // 0 NONE, or a value this mapping does not know
        };
    }
}
