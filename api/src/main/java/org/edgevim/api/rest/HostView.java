package org.edgevim.api.rest;

import java.util.List;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;

/** An edge host as the API shows it. */
public record HostView(String hostId, String name, String driver, String uri, String zoneId, List<String> cells,
                       HostState state, String sshUri) {

    static HostView of(EdgeHost host) {
        return new HostView(host.hostId(), host.hostId(), host.driver(), host.uri(), host.zoneId(), host.cells(),
                host.state(), host.sshUri());
    }
}
