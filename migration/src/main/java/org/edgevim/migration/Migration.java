package org.edgevim.migration;

import java.time.Instant;
import java.util.Objects;

/**
 * One migration of a VM (IFA 005 7.3.1.8), as the API shows it and the database keeps it.
 *
 * @param migrationId    VIM-assigned UUID
 * @param computeId      the VM
 * @param sourceHostId   where it ran when the migration was asked for
 * @param targetHostId   where it is to run
 * @param migrationType  how
 * @param state          where the migration is
 * @param maxDowntimeMs  longest pause the guest may see at switch-over
 * @param bandwidthMiBps copy bandwidth cap, 0 = the backend's default
 * @param held           a memory shadow: the copy is kept in sync and switches over only when released
 * @param statistics     progress (memory, iterations, dirty rate, elapsed; downtime when done)
 * @param error          why it FAILED, or null
 * @param createdAt      asked for
 * @param updatedAt      last change
 * @param finishedAt     reached a final state, or null
 * @param liveAt         when the VM was first seen running on the target, or null
 */
public record Migration(String migrationId, String computeId, String sourceHostId, String targetHostId,
        MigrationType migrationType, MigrationState state, long maxDowntimeMs, long bandwidthMiBps, boolean held,
        MigrationStatistics statistics, String error, Instant createdAt, Instant updatedAt, Instant finishedAt,
        Instant liveAt) {

    public Migration {
        Objects.requireNonNull(migrationId, "migrationId");
        Objects.requireNonNull(computeId, "computeId");
        Objects.requireNonNull(sourceHostId, "sourceHostId");
        Objects.requireNonNull(targetHostId, "targetHostId");
        Objects.requireNonNull(migrationType, "migrationType");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    Migration inState(MigrationState next, String cause, Instant at) {
        return new Migration(migrationId, computeId, sourceHostId, targetHostId, migrationType, next, maxDowntimeMs,
                bandwidthMiBps, held, statistics, cause, createdAt, at, next.isFinal() ? at : finishedAt, liveAt);
    }

    Migration withStatistics(MigrationStatistics latest, Instant at) {
        return new Migration(migrationId, computeId, sourceHostId, targetHostId, migrationType, state, maxDowntimeMs,
                bandwidthMiBps, held, latest, error, createdAt, at, finishedAt, liveAt);
    }

    Migration liveOnTargetAt(Instant at) {
        return new Migration(migrationId, computeId, sourceHostId, targetHostId, migrationType, state, maxDowntimeMs,
                bandwidthMiBps, held, statistics, error, createdAt, at, finishedAt, at);
    }
}
