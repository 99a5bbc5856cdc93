package org.edgevim.migration;

/** IFA 005 migration types the VIM carries out. */
public enum MigrationType {
    /** The VM keeps running; memory and disk changes are copied while it runs, then it switches over. */
    LIVE_MIGRATION
}
