package org.edgevim.core.driver;

import org.edgevim.core.model.EdgeHost;

/** Creates drivers for one backend kind; the API wires one factory per kind. */
public interface ComputeDriverFactory {

    /** The value of {@link EdgeHost#driver()} this factory serves, e.g. {@code libvirt}. */
    String driverName();

    /**
     * Creates a driver for the host. Must not fail because the host is unreachable right now:
     * the driver connects lazily and reports unreachability from its methods.
     */
    ComputeDriver create(EdgeHost host, ComputeStateListener listener);
}
