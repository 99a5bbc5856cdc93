package org.edgevim.core.capacity;

import java.util.Objects;

/**
 * How much of a host the VIM may hand out: what is reserved for the host itself, and how far each
 * resource may be over-committed (Nova's allocation ratios). usable = (total - reserved) x ratio.
 */
public record CapacityPolicy(ResourceAmounts reserved, double cpuRatio, double memoryRatio, double diskRatio) {

    public CapacityPolicy {
        Objects.requireNonNull(reserved, "reserved");
        if (cpuRatio <= 0 || memoryRatio <= 0 || diskRatio <= 0) {
            throw new IllegalArgumentException("allocation ratios must be positive");
        }
    }

    /** Nothing reserved, no over-commit. */
    public static final CapacityPolicy STRICT = new CapacityPolicy(ResourceAmounts.NONE, 1, 1, 1);
}
