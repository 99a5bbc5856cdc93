package org.edgevim.api.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.edgevim.core.capacity.CapacityService;
import org.edgevim.core.capacity.HostCapacity;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.service.HostRegistry;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Mm4: how much room each edge host has (IFA 005 Query Capacity). */
@Path("/mm4/v1/capacity")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Mm4 capacity")
public class CapacityResource {

    private final HostRegistry hosts;
    private final CapacityService capacity;

    public CapacityResource(HostRegistry hosts, CapacityService capacity) {
        this.hosts = hosts;
        this.capacity = capacity;
    }

    /**
     * @param hosts       every reachable host asked
     * @param total       their sum
     * @param unreachable hosts that did not answer (not in the sum)
     */
    public record CapacityReport(List<HostCapacity> hosts, HostCapacity total, List<String> unreachable) {
    }

    @GET
    @Operation(summary = "Per-host and total vCPU, memory (MiB) and disk (GiB): total, reserved, allocated, available")
    public CapacityReport query(@QueryParam("hostId") String hostId, @QueryParam("zoneId") String zoneId) {
        List<EdgeHost> selected = hostId != null ? List.of(hosts.get(hostId))
                : hosts.list().stream().filter(h -> zoneId == null || zoneId.equals(h.zoneId())).toList();
        if (zoneId != null && selected.isEmpty()) {
            throw new NotFoundException("zone", zoneId);
        }
        List<HostCapacity> answered = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (EdgeHost host : selected) {
            try {
                answered.add(capacity.of(host));
            } catch (HostUnavailableException e) {
                unreachable.add(host.hostId());
            }
        }
        return new CapacityReport(answered, CapacityService.total(answered), unreachable);
    }
}
