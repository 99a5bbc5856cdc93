package org.edgevim.core.model;

/**
 * Portable state of a virtualised compute resource. Backends map their own states onto these
 * (keeping the raw backend state beside it for operators); UNKNOWN is what a backend state that
 * has no mapping, or an unreachable host, becomes.
 */
public enum OperationalState {
    /** Being created by the VIM; not yet confirmed by the host. */
    BUILDING,
    RUNNING,
    PAUSED,
    /** A graceful shutdown has been requested and the guest has not stopped yet. */
    SHUTTING_DOWN,
    STOPPED,
    CRASHED,
    /** Moving to another host; the record names the source until the target confirms. */
    MIGRATING,
    /** Host unreachable, or the host reports something we cannot map. */
    UNKNOWN
}
