package org.edgevim.migration;

/**
 * Life of a handoff. PREPARING (shadows being built on candidate hosts) -> PREPARED (all ready) ->
 * EXECUTING (the handover happened: the VM moves to the chosen host) -> COMPLETED; or CANCELLED
 * (cancel, REJECTED), EXPIRED (the prediction's time-to-live ran out) or FAILED (with the cause).
 * Every end but COMPLETED leaves the VM running on its source, and every end discards the shadows.
 */
public enum HandoffState {
    PREPARING, PREPARED, EXECUTING, COMPLETED, CANCELLED, EXPIRED, FAILED;

    /** Still waiting for the handover: a prediction may revise it, an execute may start it. */
    public boolean isOpen() {
        return this == PREPARING || this == PREPARED;
    }

    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED || this == EXPIRED || this == FAILED;
    }
}
