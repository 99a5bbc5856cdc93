package org.edgevim.migration;

/**
 * An Mm6 migrate request after JSON parsing, before validation.
 *
 * @param maxDowntimeMs  optional, default {@value MigrationService#DEFAULT_MAX_DOWNTIME_MS}
 * @param bandwidthMiBps optional, default 0 (the backend's own)
 */
public record MigrationRequest(String targetHostId, String migrationType, Long maxDowntimeMs, Long bandwidthMiBps) {
}
