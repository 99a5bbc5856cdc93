package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Set;
import org.edgevim.core.capacity.CapacityPolicy;
import org.edgevim.core.capacity.ResourceAmounts;
import org.edgevim.core.driver.HostResources;

/**
 * A compute node's capacity as Placement accounts it (not os-hypervisors/statistics, gone since
 * Nova 2.88): each resource class's inventory (total, reserved, allocation_ratio) and usage.
 *
 * <p>The VIM computes {@code available = (total - reserved) x ratio - allocated(VIM's VMs)}. So
 * that this equals what Placement will still grant, the cloud's own reservation and ratio are used,
 * and what other consumers (servers the VIM did not create, in-flight migrations) hold is added to
 * the reservation, in host units: {@code reserved = inventory.reserved + ceil(others / ratio)}.
 */
final class PlacementCapacity {

    /**
     * One reading.
     *
     * @param resources the node's totals (and the disk Placement still grants as "available")
     * @param policy    the cloud's reservations (plus others' usage) and allocation ratios
     * @param readAt    when Placement was asked
     */
    record Reading(HostResources resources, CapacityPolicy policy, Instant readAt) {
    }

    private PlacementCapacity() {
    }

    static Reading of(JsonNode inventories, JsonNode usages, JsonNode allocations, Set<String> vimConsumers,
            Instant readAt) {
        Resource vcpu = Resource.of("VCPU", inventories, usages, allocations, vimConsumers);
        Resource memory = Resource.of("MEMORY_MB", inventories, usages, allocations, vimConsumers);
        Resource disk = Resource.of("DISK_GB", inventories, usages, allocations, vimConsumers);
        HostResources resources = new HostResources((int) vcpu.total, memory.total, disk.total,
                Math.max(0, (long) Math.floor((disk.total - disk.reserved) * disk.ratio) - disk.usage));
        CapacityPolicy policy = new CapacityPolicy(new ResourceAmounts(vcpu.reservedForVim(), memory.reservedForVim(),
                disk.reservedForVim()), vcpu.ratio, memory.ratio, disk.ratio);
        return new Reading(resources, policy, readAt);
    }

    /** One resource class of the node. */
    private record Resource(long total, long reserved, double ratio, long usage, long vimUsage) {

        static Resource of(String resourceClass, JsonNode inventories, JsonNode usages, JsonNode allocations,
                Set<String> vimConsumers) {
            JsonNode inventory = inventories.path(resourceClass);
            double ratio = inventory.path("allocation_ratio").asDouble(1.0);
            long vim = 0;
            for (String consumer : vimConsumers) {
                vim += allocations.path(consumer).path("resources").path(resourceClass).asLong(0);
            }
            return new Resource(inventory.path("total").asLong(0), inventory.path("reserved").asLong(0),
                    ratio > 0 ? ratio : 1.0, usages.path(resourceClass).asLong(0), vim);
        }

        /** The cloud's reservation plus what others hold, in host units (rounded up: never over-promise). */
        long reservedForVim() {
            long others = Math.max(0, usage - vimUsage);
            return reserved + (long) Math.ceil(others / ratio);
        }
    }
}
