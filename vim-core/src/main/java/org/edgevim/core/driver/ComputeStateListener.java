package org.edgevim.core.driver;

import org.edgevim.core.model.OperationalState;

/** Receives state changes that a backend observes on its own (guest shut itself down, crashed, ...). */
@FunctionalInterface
public interface ComputeStateListener {

    /**
     * Called from a driver thread; implementations must be quick and must not call back into the driver.
     *
     * @param hostId    host on which the change happened
     * @param computeId the VM (only VMs created by the VIM are reported)
     * @param state     the new portable state
     * @param reason    backend detail, for the log
     */
    void onStateChanged(String hostId, String computeId, OperationalState state, String reason);
}
