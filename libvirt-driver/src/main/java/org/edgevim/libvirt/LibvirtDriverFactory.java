package org.edgevim.libvirt;

import org.edgevim.core.driver.ComputeDriver;
import org.edgevim.core.driver.ComputeDriverFactory;
import org.edgevim.core.driver.ComputeStateListener;
import java.util.regex.Pattern;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.model.EdgeHost;

/** Creates {@link LibvirtComputeDriver}s for hosts registered with driver {@code libvirt}. */
public final class LibvirtDriverFactory implements ComputeDriverFactory {

    public static final String DRIVER_NAME = "libvirt";
    private final LibvirtDriverSettings settings;

    public LibvirtDriverFactory(LibvirtDriverSettings settings) {
        this.settings = settings;
    }

    @Override
    public String driverName() {
        return DRIVER_NAME;
    }

    /** Remote libvirt URIs the VIM accepts; a local qemu:/// or test:/// URI serves development. */
    private static final Pattern URI = Pattern.compile("(qemu(\\+(tcp|tls|ssh))?|test)://[A-Za-z0-9.:\\[\\]-]*/(system|session|default)");

    /** @throws InvalidInputException if the uri is not a libvirt URI we accept */
    @Override
    public ComputeDriver create(EdgeHost host, ComputeStateListener listener) {
        if (!URI.matcher(host.uri()).matches()) {
            throw new InvalidInputException("uri",
                    "must be a libvirt URI such as qemu+tcp://127.0.0.12/system (qemu, qemu+tcp, qemu+tls, qemu+ssh or test)");
        }
        LibvirtHostConnection connection = new LibvirtHostConnection(host.hostId(), host.uri(), listener);
        return new LibvirtComputeDriver(host.hostId(), connection, settings,
                new LibvirtImageCache(host.hostId(), connection, settings));
    }
}
