package org.edgevim.migration;

/** A shadow: being built, ready, failed; at the end discarded, or promoted (its host got the VM). */
public enum ShadowState {
    PREPARING, READY, FAILED, DISCARDED, PROMOTED
}
