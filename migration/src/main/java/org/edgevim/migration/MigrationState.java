package org.edgevim.migration;

/**
 * Life of a migration. QUEUED -> PREPARING (image and disk on the target) -> MIGRATING (memory and
 * disk copy) -> COMPLETED; or FAILED (with the cause) or CANCELLED (aborted by a caller), both of
 * which leave the VM running on its source.
 */
public enum MigrationState {
    QUEUED, PREPARING, MIGRATING, COMPLETED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
