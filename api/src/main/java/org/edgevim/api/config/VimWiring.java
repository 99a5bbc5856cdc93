package org.edgevim.api.config;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import org.edgevim.api.persistence.JdbcComputeRepository;
import org.edgevim.api.persistence.JdbcHostRepository;
import org.edgevim.core.capacity.CapacityPolicy;
import org.edgevim.core.capacity.CapacityService;
import org.edgevim.core.capacity.ResourceAmounts;
import org.edgevim.core.error.VimException;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.edgevim.core.service.ComputeService;
import org.edgevim.core.service.HostRegistry;
import org.edgevim.libvirt.LibvirtDriverFactory;
import org.edgevim.libvirt.LibvirtDriverSettings;
import org.jboss.logging.Logger;

/** The only place that knows which drivers exist: builds the core services and plugs the drivers in. */
@ApplicationScoped
public class VimWiring {

    private static final Logger LOG = Logger.getLogger(VimWiring.class);

    @Produces
    @Singleton
    HostRegistry hostRegistry(JdbcHostRepository hosts, VimConfig config) {
        VimConfig.Libvirt libvirt = config.libvirt();
        LibvirtDriverSettings settings = new LibvirtDriverSettings(libvirt.storagePool(), libvirt.consoleLogDir(),
                libvirt.kernelCmdline(), libvirt.domainType(), libvirt.pollInterval());
        return new HostRegistry(hosts, List.of(new LibvirtDriverFactory(settings)));
    }

    void closeDrivers(@Disposes HostRegistry registry) {
        registry.close();
    }

    @Produces
    @Singleton
    CapacityService capacityService(JdbcComputeRepository computes, HostRegistry hosts, VimConfig config) {
        return new CapacityService(hosts, computes, hostId -> capacityPolicy(config, hostId));
    }

    @Produces
    @Singleton
    ComputeService computeService(JdbcComputeRepository computes, HostRegistry hosts, CapacityService capacity) {
        return new ComputeService(computes, hosts, capacity, Clock.systemUTC());
    }

    /** The global policy, with the host's own reservations where its configuration has them. */
    static CapacityPolicy capacityPolicy(VimConfig config, String hostId) {
        VimConfig.Capacity c = config.capacity();
        VimConfig.HostConfig host = config.hosts().get(hostId);
        ResourceAmounts reserved = new ResourceAmounts(
                host == null ? c.reservedVcpu() : host.reservedVcpu().orElse(c.reservedVcpu()),
                host == null ? c.reservedMemoryMib() : host.reservedMemoryMib().orElse(c.reservedMemoryMib()),
                host == null ? c.reservedDiskGib() : host.reservedDiskGib().orElse(c.reservedDiskGib()));
        return new CapacityPolicy(reserved, c.cpuAllocationRatio(), c.memoryAllocationRatio(), c.diskAllocationRatio());
    }

    /** Registers the hosts named in configuration; a bad entry is logged and skipped, not fatal. */
    void registerConfiguredHosts(@Observes StartupEvent start, HostRegistry registry, ComputeService computes,
                                 VimConfig config) {
        config.hosts().forEach((hostId, host) -> {
            try {
                registry.register(new EdgeHost(hostId, host.driver(), host.uri(), host.zoneId(),
                        host.cells().orElse(List.of()), HostState.UNKNOWN));
            } catch (VimException e) {
                LOG.errorf("Configured edge host %s not registered: %s", hostId, e.getMessage());
            }
        });
        LOG.infof("Edge VIM started with %d edge host(s)", registry.list().size());
    }

    void stop(@Observes ShutdownEvent stop) {
        LOG.info("Edge VIM stopping");
    }
}
