package org.edgevim.migration;

/** IFA 005 migration types the VIM carries out. */
public enum MigrationType {
    /** The VM keeps running; memory and disk changes are copied while it runs, then it switches over. */
    LIVE_MIGRATION,
    /**
     * The VM is stopped while it moves (a running one is shut down gracefully first, and started
     * on the target afterwards; a stopped one stays stopped): only its disk travels.
     */
    OFFLINE_MIGRATION
}
