package org.edgevim.core.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * Operations of IFA 005 "Operate Virtualised Compute", with the states each one may start from
 * and the state it ends in. Kept in one table so that the API, the drivers and the tests agree.
 */
public enum ComputeOperation {
    START(EnumSet.of(OperationalState.STOPPED, OperationalState.CRASHED), OperationalState.RUNNING),
    STOP(EnumSet.of(OperationalState.RUNNING, OperationalState.PAUSED, OperationalState.SHUTTING_DOWN),
            OperationalState.STOPPED),
    PAUSE(EnumSet.of(OperationalState.RUNNING), OperationalState.PAUSED),
    UNPAUSE(EnumSet.of(OperationalState.PAUSED), OperationalState.RUNNING),
    REBOOT(EnumSet.of(OperationalState.RUNNING), OperationalState.RUNNING);

    private final Set<OperationalState> allowedFrom;
    private final OperationalState resultingState;

    ComputeOperation(Set<OperationalState> allowedFrom, OperationalState resultingState) {
        this.allowedFrom = allowedFrom;
        this.resultingState = resultingState;
    }

    public boolean allowedFrom(OperationalState state) {
        return allowedFrom.contains(state);
    }

    public Set<OperationalState> allowedStates() {
        return EnumSet.copyOf(allowedFrom);
    }

    public OperationalState resultingState() {
        return resultingState;
    }
}
