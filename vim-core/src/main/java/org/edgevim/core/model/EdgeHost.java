package org.edgevim.core.model;

import java.util.List;
import java.util.Objects;

/**
 * An edge host: one hypervisor (or one compute host of a cloud) the VIM places VMs on.
 *
 * @param hostId identifier used in the API and in placement
 * @param driver which backend drives it, e.g. {@code libvirt}
 * @param uri    how the driver reaches it, e.g. {@code qemu+tcp://127.0.0.12/system}
 * @param zoneId the availability zone it belongs to
 * @param cells  radio cells this host serves (used by mobility)
 * @param state  reachability as last observed
 */
public record EdgeHost(String hostId, String driver, String uri, String zoneId, List<String> cells, HostState state) {

    public EdgeHost {
        Identifiers.requireHostId("hostId", hostId);
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(uri, "uri");
        Identifiers.requireZoneId("zoneId", zoneId);
        cells = List.copyOf(cells == null ? List.of() : cells);
        for (int i = 0; i < cells.size(); i++) {
            Identifiers.requireCellId("cells[" + i + "]", cells.get(i));
        }
        Objects.requireNonNull(state, "state");
    }

    public EdgeHost withState(HostState newState) {
        return new EdgeHost(hostId, driver, uri, zoneId, cells, newState);
    }
}
