package org.edgevim.core.driver;

/**
 * Physical resources of an edge host as the host itself reports them.
 *
 * @param cpus                  logical CPUs
 * @param memoryMiB             physical memory
 * @param storageCapacityGiB    size of the storage the VIM places disks on
 * @param storageAvailableGiB   free space there
 */
public record HostResources(int cpus, long memoryMiB, long storageCapacityGiB, long storageAvailableGiB) {
}
