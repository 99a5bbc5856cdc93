package org.edgevim.core.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;

/**
 * Chooses the edge host for a new VM. The rule, in order:
 * <ol>
 *   <li>an explicit hostId wins (it must exist, be reachable, lie in zoneId if both are given, and
 *       have room for the VM);</li>
 *   <li>otherwise the reachable hosts (of zoneId, if given) that have room are candidates, and the
 *       one running the fewest VIM VMs is chosen, ties broken by hostId so placement is deterministic.</li>
 * </ol>
 * Reachability and VM counts are passed in; room is asked of {@code shortfall}, which names the
 * resource a host lacks (or is empty when the VM fits) and is only called for candidates.
 */
public final class Placement {

    private Placement() {
    }

    public static EdgeHost choose(List<EdgeHost> hosts, String hostId, String zoneId, Map<String, Integer> vmCountByHost,
                                  Function<EdgeHost, Optional<String>> shortfall) {
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
            shortfall.apply(host).ifPresent(missing -> {
                throw new ConflictException("Edge host '" + hostId + "' has no room for the VM: " + missing);
            });
            return host;
        }
        List<EdgeHost> inZone = hosts.stream().filter(h -> zoneId == null || zoneId.equals(h.zoneId())).toList();
        if (inZone.isEmpty()) {
            throw zoneId == null
                    ? new ConflictException("No edge host is registered")
                    : new NotFoundException("zone", zoneId);
        }
        List<EdgeHost> reachable = inZone.stream().filter(h -> h.state() != HostState.UNREACHABLE)
                .sorted(Comparator.comparingInt((EdgeHost h) -> vmCountByHost.getOrDefault(h.hostId(), 0))
                        .thenComparing(EdgeHost::hostId))
                .toList();
        String where = zoneId == null ? "" : " in zone '" + zoneId + "'";
        if (reachable.isEmpty()) {
            throw new ConflictException("No reachable edge host" + where);
        }
        List<String> reasons = new ArrayList<>();
        for (EdgeHost candidate : reachable) {
            Optional<String> missing;
            try {
                missing = shortfall.apply(candidate);
            } catch (HostUnavailableException e) {
                missing = Optional.of("unreachable"); // went down since its last probe: try the next
            }
            if (missing.isEmpty()) {
                return candidate;
            }
            reasons.add(candidate.hostId() + " (" + missing.get() + ")");
        }
        throw new ConflictException("No edge host" + where + " has room for the VM: " + String.join("; ", reasons));
    }
}
