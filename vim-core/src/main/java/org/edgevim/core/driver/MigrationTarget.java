package org.edgevim.core.driver;

import java.util.Objects;

/**
 * The host a VM is to move to, as the source backend needs to know it.
 *
 * @param hostId the target edge host
 * @param uri    how the source host reaches the target's hypervisor (same backend)
 */
public record MigrationTarget(String hostId, String uri) {
    public MigrationTarget {
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(uri, "uri");
    }
}
