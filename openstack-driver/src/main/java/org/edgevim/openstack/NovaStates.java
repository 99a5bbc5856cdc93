package org.edgevim.openstack;

import java.util.Map;
import java.util.Set;
import org.edgevim.core.model.OperationalState;

/** Nova server status (with task and power state) to portable state, by table. */
final class NovaStates {

    /** Statuses during which Nova is still working on the server. */
    static final Set<String> TRANSITIONAL = Set.of("BUILD", "REBUILD", "REBOOT", "HARD_REBOOT", "MIGRATING", "RESIZE",
            "REVERT_RESIZE", "PASSWORD");

    private static final Map<String, OperationalState> BY_STATUS = Map.ofEntries(
            Map.entry("ACTIVE", OperationalState.RUNNING),
            Map.entry("BUILD", OperationalState.BUILDING),
            Map.entry("REBUILD", OperationalState.BUILDING),
            // The guest keeps running while Nova reboots (softly) or live-migrates it.
            Map.entry("REBOOT", OperationalState.RUNNING),
            Map.entry("HARD_REBOOT", OperationalState.RUNNING),
            Map.entry("MIGRATING", OperationalState.RUNNING),
            Map.entry("PASSWORD", OperationalState.RUNNING),
            Map.entry("PAUSED", OperationalState.PAUSED),
            Map.entry("SUSPENDED", OperationalState.PAUSED),
            Map.entry("SHUTOFF", OperationalState.STOPPED),
            Map.entry("SHELVED", OperationalState.STOPPED),
            Map.entry("SHELVED_OFFLOADED", OperationalState.STOPPED),
            // ERROR: the server failed (build, an action); the VIM's word for a VM that died is CRASHED.
            Map.entry("ERROR", OperationalState.CRASHED));

    /** power_state 6: the hypervisor saw the guest crash, whatever Nova's status says yet. */
    private static final int POWER_CRASHED = 6;

    private NovaStates() {
    }

    static OperationalState of(Server server) {
        if (server.powerState() == POWER_CRASHED) {
            return OperationalState.CRASHED;
        }
        if ("ACTIVE".equals(server.status()) && "powering-off".equals(server.taskState())) {
            return OperationalState.SHUTTING_DOWN;
        }
        return BY_STATUS.getOrDefault(server.status(), OperationalState.UNKNOWN);
    }
}
