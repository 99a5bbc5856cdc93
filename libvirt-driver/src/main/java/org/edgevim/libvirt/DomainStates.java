package org.edgevim.libvirt;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.edgevim.core.model.OperationalState;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.StoppedDetail;

/** libvirt domain states and lifecycle events to portable states, by table. */
final class DomainStates {

    private static final Map<DomainState, OperationalState> BY_STATE = new EnumMap<>(DomainState.class);

    static {
        BY_STATE.put(DomainState.VIR_DOMAIN_RUNNING, OperationalState.RUNNING);
        // BLOCKED means "waiting on a resource", the guest is still up.
        BY_STATE.put(DomainState.VIR_DOMAIN_BLOCKED, OperationalState.RUNNING);
        BY_STATE.put(DomainState.VIR_DOMAIN_PAUSED, OperationalState.PAUSED);
        BY_STATE.put(DomainState.VIR_DOMAIN_SHUTDOWN, OperationalState.SHUTTING_DOWN);
        BY_STATE.put(DomainState.VIR_DOMAIN_SHUTOFF, OperationalState.STOPPED);
        BY_STATE.put(DomainState.VIR_DOMAIN_CRASHED, OperationalState.CRASHED);
        BY_STATE.put(DomainState.VIR_DOMAIN_PMSUSPENDED, OperationalState.PAUSED);
    }

    private DomainStates() {
    }

    static OperationalState fromState(DomainState state) {
        return BY_STATE.getOrDefault(state, OperationalState.UNKNOWN);
    }

    /** The state an event leaves the domain in, if it says. DEFINED/UNDEFINED say nothing about running. */
    static Optional<OperationalState> fromEvent(DomainEvent event) {
        Object detail = event.getDetail();
        return switch (event.getType()) {
            case STARTED, RESUMED -> Optional.of(OperationalState.RUNNING);
            case SUSPENDED, PMSUSPENDED -> Optional.of(OperationalState.PAUSED);
            case SHUTDOWN -> Optional.of(OperationalState.SHUTTING_DOWN);
            // MIGRATED: the VM did not stop, it now runs elsewhere; the migration flow records that.
            case STOPPED -> detail == StoppedDetail.MIGRATED ? Optional.empty()
                    : Optional.of(detail == StoppedDetail.CRASHED || detail == StoppedDetail.FAILED
                            ? OperationalState.CRASHED : OperationalState.STOPPED);
            case CRASHED -> Optional.of(OperationalState.CRASHED);
            default -> Optional.empty();
        };
    }
}
