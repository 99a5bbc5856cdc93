package org.edgevim.core.capacity;

/**
 * One resource of one host (or a sum of hosts), IFA 005 style.
 *
 * @param total     what the host has, as it reports it
 * @param reserved  kept for the host itself
 * @param allocated held by the VIM's VMs
 * @param available what a new allocation may still take: (total - reserved) x ratio - allocated, never negative
 */
public record ResourceCapacity(long total, long reserved, long allocated, long available) {

    static ResourceCapacity of(long total, long reserved, double ratio, long allocated) {
        long usable = (long) Math.floor(Math.max(0, total - reserved) * ratio);
        return new ResourceCapacity(total, reserved, allocated, Math.max(0, usable - allocated));
    }

    ResourceCapacity plus(ResourceCapacity other) {
        return new ResourceCapacity(total + other.total, reserved + other.reserved, allocated + other.allocated,
                available + other.available);
    }
}
