package org.edgevim.core.driver;

import java.time.Duration;
import java.util.Objects;

/**
 * How a live migration should run.
 *
 * @param maxDowntime    longest pause the guest may see at switch-over (the backend's downtime limit)
 * @param bandwidthMiBps migration bandwidth cap, or 0 for the backend's default
 */
public record MigrationOptions(Duration maxDowntime, long bandwidthMiBps) {
    public MigrationOptions {
        Objects.requireNonNull(maxDowntime, "maxDowntime");
        if (maxDowntime.isNegative() || maxDowntime.isZero()) {
            throw new IllegalArgumentException("maxDowntime must be positive");
        }
        if (bandwidthMiBps < 0) {
            throw new IllegalArgumentException("bandwidthMiBps must not be negative");
        }
    }
}
