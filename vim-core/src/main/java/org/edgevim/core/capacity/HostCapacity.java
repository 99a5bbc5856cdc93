package org.edgevim.core.capacity;

import java.util.Optional;
import org.edgevim.core.driver.HostResources;

/**
 * The capacity of one edge host for each resource.
 *
 * @param hostId    the host (or "total" for a sum)
 * @param vcpu      virtual CPUs
 * @param memoryMiB memory in MiB
 * @param diskGiB   disk in GiB (the VIM's storage pool)
 */
public record HostCapacity(String hostId, ResourceCapacity vcpu, ResourceCapacity memoryMiB, ResourceCapacity diskGiB) {

    /** Computes a host's capacity from what it reports, the policy, and what the VIM's VMs hold. */
    public static HostCapacity of(String hostId, HostResources resources, CapacityPolicy policy, ResourceAmounts allocated) {
        ResourceAmounts reserved = policy.reserved();
        return new HostCapacity(hostId,
                ResourceCapacity.of(resources.cpus(), reserved.vcpu(), policy.cpuRatio(), allocated.vcpu()),
                ResourceCapacity.of(resources.memoryMiB(), reserved.memoryMiB(), policy.memoryRatio(), allocated.memoryMiB()),
                ResourceCapacity.of(resources.storageCapacityGiB(), reserved.diskGiB(), policy.diskRatio(),
                        allocated.diskGiB()));
    }

    public HostCapacity plus(String id, HostCapacity other) {
        return new HostCapacity(id, vcpu.plus(other.vcpu), memoryMiB.plus(other.memoryMiB), diskGiB.plus(other.diskGiB));
    }

    /** The first resource that cannot take the request, with a sentence saying by how much; empty if it fits. */
    public Optional<String> shortfall(ResourceAmounts request) {
        if (request.vcpu() > vcpu.available()) {
            return Optional.of("vCPU: " + request.vcpu() + " requested, " + vcpu.available() + " available");
        }
        if (request.memoryMiB() > memoryMiB.available()) {
            return Optional.of("memory: " + request.memoryMiB() + " MiB requested, " + memoryMiB.available()
                    + " MiB available");
        }
        if (request.diskGiB() > diskGiB.available()) {
            return Optional.of("disk: " + request.diskGiB() + " GiB requested, " + diskGiB.available() + " GiB available");
        }
        return Optional.empty();
    }
}
