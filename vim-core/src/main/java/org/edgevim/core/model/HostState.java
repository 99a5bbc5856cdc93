package org.edgevim.core.model;

/** Whether the VIM can currently talk to an edge host. */
public enum HostState {
    REACHABLE,
    UNREACHABLE,
    /** Not probed yet. */
    UNKNOWN
}
