package org.edgevim.core.service;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;

/**
 * Chooses the edge host for a new VM. The rule, in order:
 * <ol>
 *   <li>an explicit hostId wins (it must exist, be reachable, and lie in zoneId if both are given);</li>
 *   <li>otherwise the reachable hosts (of zoneId, if given) are candidates, and the one running the
 *       fewest VIM VMs is chosen, ties broken by hostId so placement is deterministic.</li>
 * </ol>
 * Pure function: reachability and VM counts are passed in.
 */
public final class Placement {

    private Placement() {
    }

    public static EdgeHost choose(List<EdgeHost> hosts, String hostId, String zoneId, Map<String, Integer> vmCountByHost) {
        if (hostId != null) {
            EdgeHost host = hosts.stream().filter(h -> h.hostId().equals(hostId)).findFirst()
                    .orElseThrow(() -> new NotFoundException("edge host", hostId));
            if (zoneId != null && !zoneId.equals(host.zoneId())) {
                throw new InvalidInputException("zoneId",
                        "host '" + hostId + "' is in zone '" + host.zoneId() + "', not '" + zoneId + "'");
            }
            if (host.state() == HostState.UNREACHABLE) {
                throw new HostUnavailableException(hostId, "last probe failed", null);
            }
            return host;
        }
        List<EdgeHost> inZone = hosts.stream().filter(h -> zoneId == null || zoneId.equals(h.zoneId())).toList();
        if (inZone.isEmpty()) {
            throw zoneId == null
                    ? new ConflictException("No edge host is registered")
                    : new NotFoundException("zone", zoneId);
        }
        return inZone.stream()
                .filter(h -> h.state() != HostState.UNREACHABLE)
                .min(Comparator.comparingInt((EdgeHost h) -> vmCountByHost.getOrDefault(h.hostId(), 0))
                        .thenComparing(EdgeHost::hostId))
                .orElseThrow(() -> new ConflictException("No reachable edge host"
                        + (zoneId == null ? "" : " in zone '" + zoneId + "'")));
    }
}
