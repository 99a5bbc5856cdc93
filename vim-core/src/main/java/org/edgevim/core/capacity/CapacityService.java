package org.edgevim.core.capacity;

import java.util.List;
import java.util.function.Function;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.VirtualCompute;
import org.edgevim.core.service.ComputeRepository;
import org.edgevim.core.service.HostRegistry;

/**
 * Capacity as IFA 005 "Query Capacity" reports it: totals read from each host now, the policy's
 * reservations and over-commit, and what the VIM's VMs hold (from the records, so a VM being
 * built already counts).
 */
public final class CapacityService {

    public static final String TOTAL = "total";

    private final HostRegistry hosts;
    private final ComputeRepository computes;
    private final Function<String, CapacityPolicy> policyByHost;

    public CapacityService(HostRegistry hosts, ComputeRepository computes, Function<String, CapacityPolicy> policyByHost) {
        this.hosts = hosts;
        this.computes = computes;
        this.policyByHost = policyByHost;
    }

    /** One host's capacity; asks the host for its totals (throws if it is unreachable). */
    public HostCapacity of(EdgeHost host) {
        ResourceAmounts allocated = computes.list(host.hostId(), null).stream()
                .map(VirtualCompute::flavour).map(ResourceAmounts::of)
                .reduce(ResourceAmounts.NONE, ResourceAmounts::plus);
        return HostCapacity.of(host.hostId(), hosts.driver(host.hostId()).resources(),
                policyByHost.apply(host.hostId()), allocated);
    }

    /** The sum of several hosts' capacities, named {@value #TOTAL}. */
    public static HostCapacity total(List<HostCapacity> capacities) {
        HostCapacity zero = new HostCapacity(TOTAL, new ResourceCapacity(0, 0, 0, 0), new ResourceCapacity(0, 0, 0, 0),
                new ResourceCapacity(0, 0, 0, 0));
        return capacities.stream().reduce(zero, (a, b) -> a.plus(TOTAL, b));
    }
}
