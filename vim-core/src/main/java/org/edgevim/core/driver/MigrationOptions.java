package org.edgevim.core.driver;

import java.time.Duration;
import java.util.Objects;

/**
 * How a live migration should run.
 *
 * @param maxDowntime    longest pause the guest may see at switch-over (the backend's downtime limit)
 * @param bandwidthMiBps migration bandwidth cap, or 0 for the backend's default
 * @param held           keep the copy in sync but do not switch over until
 *                       {@link ComputeDriver#releaseMigration(String)} (a memory shadow); only for
 *                       drivers whose {@link ComputeDriver#canHoldMigration()} is true
 */
public record MigrationOptions(Duration maxDowntime, long bandwidthMiBps, boolean held) {
    public MigrationOptions {
        Objects.requireNonNull(maxDowntime, "maxDowntime");
        if (maxDowntime.isNegative() || maxDowntime.isZero()) {
            throw new IllegalArgumentException("maxDowntime must be positive");
        }
        if (bandwidthMiBps < 0) {
            throw new IllegalArgumentException("bandwidthMiBps must not be negative");
        }
    }

    /** An ordinary live migration: it switches over as soon as the remainder fits the downtime limit. */
    public MigrationOptions(Duration maxDowntime, long bandwidthMiBps) {
        this(maxDowntime, bandwidthMiBps, false);
    }
}
