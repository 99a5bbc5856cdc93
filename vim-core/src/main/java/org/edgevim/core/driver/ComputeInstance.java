package org.edgevim.core.driver;

import java.util.Objects;
import org.edgevim.core.model.OperationalState;

/**
 * What a backend reports about one VM it runs.
 *
 * @param computeId    the VIM's id of the VM
 * @param state        portable state
 * @param backendState the backend's own state, verbatim, for operators (e.g. libvirt "shutoff/shutdown")
 */
public record ComputeInstance(String computeId, OperationalState state, String backendState) {
    public ComputeInstance {
        Objects.requireNonNull(computeId, "computeId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(backendState, "backendState");
    }
}
