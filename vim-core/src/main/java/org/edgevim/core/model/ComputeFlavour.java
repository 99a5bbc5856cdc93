package org.edgevim.core.model;

import org.edgevim.core.error.InvalidInputException;

/**
 * The size of a virtualised compute resource (IFA 005 VirtualComputeFlavour, flattened).
 *
 * @param virtualCpu    number of virtual CPUs
 * @param virtualMemory memory in MiB
 * @param disk          size of the root disk in GiB (the overlay may grow up to this size)
 */
public record ComputeFlavour(int virtualCpu, long virtualMemory, long disk) {

    public static final int MAX_VCPU = 64;
    public static final long MIN_MEMORY_MIB = 64;
    public static final long MAX_MEMORY_MIB = 256 * 1024;
    public static final long MAX_DISK_GIB = 4096;

    public ComputeFlavour {
        if (virtualCpu < 1 || virtualCpu > MAX_VCPU) {
            throw new InvalidInputException("flavour.virtualCpu", "must be between 1 and " + MAX_VCPU);
        }
        if (virtualMemory < MIN_MEMORY_MIB || virtualMemory > MAX_MEMORY_MIB) {
            throw new InvalidInputException("flavour.virtualMemory",
                    "must be between " + MIN_MEMORY_MIB + " and " + MAX_MEMORY_MIB + " MiB");
        }
        if (disk < 1 || disk > MAX_DISK_GIB) {
            throw new InvalidInputException("flavour.disk", "must be between 1 and " + MAX_DISK_GIB + " GiB");
        }
    }
}
