package org.edgevim.api.rest;

/** Body of {@code POST /mm6/v1/compute/{computeId}/migrate} (IFA 005 Migrate Virtualised Compute). */
public record MigrateCompute(String targetHostId, String migrationType, Long maxDowntimeMs, Long bandwidthMiBps) {
}
