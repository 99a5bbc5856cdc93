package org.edgevim.core.model;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.edgevim.core.error.InvalidInputException;

/**
 * An edge host: one hypervisor (or one compute host of a cloud) the VIM places VMs on.
 *
 * @param hostId identifier used in the API and in placement
 * @param driver which backend drives it, e.g. {@code libvirt}
 * @param uri    how the driver reaches it, e.g. {@code qemu+tcp://127.0.0.12/system}
 * @param zoneId the availability zone it belongs to
 * @param cells  radio cells this host serves (used by mobility)
 * @param state  reachability as last observed
 * @param sshUri optional {@code ssh://user@address[:port]} through which the VIM copies images to the
 *               host with SFTP; without it images go over the driver's own channel
 */
public record EdgeHost(String hostId, String driver, String uri, String zoneId, List<String> cells, HostState state,
        String sshUri) {

    /** user@address[:port]: a POSIX login name and a DNS name, IPv4 or bracketed IPv6 address. */
    private static final Pattern SSH_URI = Pattern.compile(
            "ssh://[a-z_][a-z0-9_-]{0,31}@([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(:[0-9]{1,5})?");

    public EdgeHost(String hostId, String driver, String uri, String zoneId, List<String> cells, HostState state) {
        this(hostId, driver, uri, zoneId, cells, state, null);
    }

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
        if (sshUri != null && !SSH_URI.matcher(sshUri).matches()) {
            throw new InvalidInputException("sshUri", "must look like ssh://user@address[:port], e.g. ssh://root@127.0.0.11:22");
        }
    }

    public EdgeHost withState(HostState newState) {
        return new EdgeHost(hostId, driver, uri, zoneId, cells, newState, sshUri);
    }
}
