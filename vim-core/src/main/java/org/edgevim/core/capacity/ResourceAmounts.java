package org.edgevim.core.capacity;

import org.edgevim.core.model.ComputeFlavour;

/**
 * An amount of each resource the VIM accounts for.
 *
 * @param vcpu      virtual CPUs
 * @param memoryMiB memory in MiB
 * @param diskGiB   disk in GiB
 */
public record ResourceAmounts(long vcpu, long memoryMiB, long diskGiB) {

    public static final ResourceAmounts NONE = new ResourceAmounts(0, 0, 0);

    public static ResourceAmounts of(ComputeFlavour flavour) {
        return new ResourceAmounts(flavour.virtualCpu(), flavour.virtualMemory(), flavour.disk());
    }

    public ResourceAmounts plus(ResourceAmounts other) {
        return new ResourceAmounts(vcpu + other.vcpu, memoryMiB + other.memoryMiB, diskGiB + other.diskGiB);
    }
}
