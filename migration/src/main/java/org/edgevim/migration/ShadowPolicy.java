package org.edgevim.migration;

import java.time.Duration;

/**
 * Which candidates get a shadow: the most likely {@code maxShadows} hosts whose likelihood is at
 * least {@code minLikelihood}; whether the most likely of them gets a {@link ShadowKind#MEMORY}
 * shadow (where its backend can hold a migration); and how long an unexecuted prediction keeps them.
 */
public record ShadowPolicy(int maxShadows, double minLikelihood, boolean memoryShadows, Duration defaultTtl,
        Duration maxTtl) {

    public ShadowPolicy {
        if (maxShadows < 1) {
            throw new IllegalArgumentException("maxShadows must be at least 1");
        }
        if (minLikelihood < 0 || minLikelihood > 1) {
            throw new IllegalArgumentException("minLikelihood must be within 0..1");
        }
    }
}
