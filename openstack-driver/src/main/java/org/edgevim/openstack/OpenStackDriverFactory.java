package org.edgevim.openstack;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.edgevim.core.driver.ComputeDriver;
import org.edgevim.core.driver.ComputeDriverFactory;
import org.edgevim.core.driver.ComputeStateListener;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.model.EdgeHost;

/**
 * Creates {@link OpenStackComputeDriver}s for hosts registered with driver {@code openstack} and a
 * uri {@code openstack://<cloud>/<compute-host>}. Hosts of one cloud share its HTTP client and its
 * Keystone token. State changes are not pushed by Nova to the VIM (no notification bus is read):
 * the VIM's periodic reconcile sees them.
 */
public final class OpenStackDriverFactory implements ComputeDriverFactory {

    public static final String DRIVER_NAME = "openstack";

    private final Map<String, CloudSettings> settings;
    private final Clock clock;
    private final Map<String, Cloud> clouds = new ConcurrentHashMap<>();

    public OpenStackDriverFactory(Map<String, CloudSettings> clouds) {
        this(clouds, Clock.systemUTC());
    }

    public OpenStackDriverFactory(Map<String, CloudSettings> clouds, Clock clock) {
        this.settings = Map.copyOf(clouds);
        this.clock = clock;
    }

    @Override
    public String driverName() {
        return DRIVER_NAME;
    }

    /** @throws InvalidInputException if the uri is malformed or names a cloud that is not configured */
    @Override
    public ComputeDriver create(EdgeHost host, ComputeStateListener listener) {
        HostUri uri = HostUri.parse("uri", host.uri());
        CloudSettings cloud = settings.get(uri.cloud());
        if (cloud == null) {
            throw new InvalidInputException("uri", "no cloud '" + uri.cloud() + "' is configured (vim.openstack.clouds."
                    + uri.cloud() + ".*); configured: " + (settings.isEmpty() ? "none" : String.join(", ",
                    new java.util.TreeSet<>(settings.keySet()))));
        }
        if (host.sshUri() != null) {
            throw new InvalidInputException("sshUri", "OpenStack hosts receive images through Glance, not SFTP");
        }
        return new OpenStackComputeDriver(host.hostId(), uri, clouds.computeIfAbsent(uri.cloud(),
                name -> new Cloud(cloud, clock)));
    }
}
