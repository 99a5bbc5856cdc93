package org.edgevim.core.service;

/** Told when the VMs the VIM holds on a host changed: one was allocated or terminated there. */
@FunctionalInterface
public interface AllocationListener {

    AllocationListener NONE = hostId -> { };

    /** Called after the change is recorded; must return at once. */
    void allocationsChanged(String hostId);
}
