package org.edgevim.api.config;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.edgevim.api.image.FileImageStore;
import org.edgevim.api.image.HttpImageFetcher;
import org.edgevim.api.image.QemuImgInspector;
import org.edgevim.api.persistence.JdbcImageRepository;
import org.edgevim.api.persistence.JdbcMigrationRepository;
import org.edgevim.migration.HandoffService;
import org.edgevim.migration.MigrationService;
import org.edgevim.migration.ShadowPolicy;
import org.edgevim.api.persistence.JdbcHandoffRepository;
import org.edgevim.core.event.NotificationPublisher;
import org.edgevim.core.image.ImageDistribution;
import org.edgevim.core.image.ImageIngest;
import org.edgevim.core.image.ImageService;
import org.edgevim.api.persistence.JdbcComputeRepository;
import org.edgevim.api.persistence.JdbcHostRepository;
import org.edgevim.core.capacity.CapacityMonitor;
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
import org.edgevim.libvirt.SshSettings;
import org.edgevim.openstack.CloudSettings;
import org.edgevim.openstack.OpenStackComputeDriver;
import org.edgevim.openstack.OpenStackDriverFactory;
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
        return new HostRegistry(hosts, List.of(new LibvirtDriverFactory(settings, sshSettings(config.ssh())),
                new OpenStackDriverFactory(openstackClouds(config.openstack()))));
    }

    /** The configured clouds; a cloud configured wrongly stops the start-up with the reason. */
    static Map<String, CloudSettings> openstackClouds(VimConfig.Openstack openstack) {
        Map<String, CloudSettings> clouds = new TreeMap<>();
        openstack.clouds().forEach((name, c) -> {
            boolean credentialsGiven = c.password().isPresent() || c.applicationCredentialId().isPresent();
            String appId = c.applicationCredentialId().orElse(credentialsGiven ? null : env("OS_APPLICATION_CREDENTIAL_ID"));
            String appSecret = c.applicationCredentialSecret().orElse(appId == null ? null
                    : env("OS_APPLICATION_CREDENTIAL_SECRET"));
            String password = c.password().orElse(credentialsGiven || appId != null ? null : env("OS_PASSWORD"));
            try {
                clouds.put(name, new CloudSettings(name, c.authUrl(), c.region().orElse(null), c.endpointInterface(),
                        c.projectName().orElse(null), c.projectDomain(), c.userName().orElse(null), c.userDomain(),
                        password, appId, appSecret, c.network(), c.availabilityZone().orElse(null), c.connectTimeout(),
                        c.requestTimeout(), c.uploadTimeout(), c.pollInterval(), c.buildTimeout(), c.operationTimeout(),
                        c.migrationTimeout()));
            } catch (VimException e) {
                throw new IllegalStateException("OpenStack cloud '" + name + "' is not usable: " + e.getMessage(), e);
            }
            LOG.infof("OpenStack %s configured", clouds.get(name));
        });
        return clouds;
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** SSH to hosts, if configured; a key named but unusable stops the start-up with the reason. */
    private static SshSettings sshSettings(VimConfig.Ssh ssh) {
        if (ssh.identityFile().isEmpty()) {
            return null;
        }
        if (ssh.knownHostsFile().isEmpty()) {
            throw new IllegalStateException("vim.ssh.identity-file is set but vim.ssh.known-hosts-file is not: "
                    + "the VIM only talks to hosts whose keys it knows");
        }
        SshSettings settings = new SshSettings(Path.of(ssh.identityFile().get()), Path.of(ssh.knownHostsFile().get()),
                ssh.connectTimeout());
        LOG.infof("Images go over SFTP to hosts with an sshUri (key %s)", settings.identityFile());
        return settings;
    }

    void closeDrivers(@Disposes HostRegistry registry) {
        registry.close();
    }

    @Produces
    @Singleton
    CapacityService capacityService(JdbcComputeRepository computes, HostRegistry hosts, VimConfig config) {
        return new CapacityService(hosts, computes, hostId -> hosts.driver(hostId) instanceof OpenStackComputeDriver cloud
                ? cloud.capacityPolicy() // the cloud's own reservations and ratios (Placement), not ours
                : capacityPolicy(config, hostId));
    }

    @Produces
    @Singleton
    ComputeService computeService(JdbcComputeRepository computes, HostRegistry hosts, CapacityService capacity,
                                  ImageService images, CapacityMonitor monitor) {
        return new ComputeService(computes, hosts, capacity, images, monitor, Clock.systemUTC());
    }

    @Produces
    @Singleton
    MigrationService migrationService(JdbcMigrationRepository migrations, ComputeService computeService,
                                      JdbcComputeRepository computes, HostRegistry hosts, CapacityService capacity,
                                      ImageService images) {
        return new MigrationService(migrations, computeService, computes, hosts, capacity, images, migrationRuns,
                Clock.systemUTC());
    }

    @Produces
    @Singleton
    HandoffService handoffService(JdbcHandoffRepository handoffs, MigrationService migrations,
                                  JdbcComputeRepository computes, HostRegistry hosts, ImageService images,
                                  NotificationPublisher notifications, VimConfig config) {
        VimConfig.Mobility m = config.mobility();
        return new HandoffService(handoffs, migrations, computes, hosts, images,
                new ShadowPolicy(m.maxShadows(), m.minLikelihood(), m.memoryShadow(), m.defaultTtl(), m.maxTtl()), migrationRuns,
                notifications, Clock.systemUTC());
    }

    @Produces
    @Singleton
    CapacityMonitor capacityMonitor(HostRegistry hosts, CapacityService capacity, NotificationPublisher notifications) {
        return new CapacityMonitor(hosts, capacity, notifications, capacityChecks, Clock.systemUTC());
    }

    @Produces
    @Singleton
    FileImageStore imageStore(VimConfig config) {
        FileImageStore store = new FileImageStore(Path.of(config.dataDir(), "images"));
        store.removeLeftovers();
        return store;
    }

    @Produces
    @Singleton
    ImageService imageService(JdbcImageRepository images, FileImageStore store, JdbcComputeRepository computes,
                              HostRegistry hosts, NotificationPublisher notifications, VimConfig config) {
        VimConfig.Images c = config.images();
        ImageIngest ingest = new ImageIngest(store, new QemuImgInspector(store, c.inspectTimeout()),
                c.maxSizeMib() << 20);
        imageTransfers = boundedPool("image-copy", c.transferThreads());
        ImageDistribution distribution = new ImageDistribution(images, store, hosts, imageTransfers,
                c.maxTransferMibps() << 20, Clock.systemUTC());
        ImageService service = new ImageService(images, store, ingest,
                new HttpImageFetcher(c.importConnectTimeout(), c.importTimeout()), distribution, computes, hosts,
                notifications, imageImports, Clock.systemUTC());
        service.recoverInterrupted();
        return service;
    }

    /** Copies of images to hosts, at most vim.images.transfer-threads at a time (the rest queue). */
    private volatile ExecutorService imageTransfers;
    /** Migrations run here, each on its own thread for as long as it copies. */
    private final ExecutorService migrationRuns = boundedPool("migration", 16);
    /** Capacity checks after allocate/terminate: one at a time, in order, off the request thread. */
    private final ExecutorService capacityChecks = boundedPool("capacity-check", 1);
    /** Imports from URLs; few at a time, they are network-bound. */
    private final ExecutorService imageImports = boundedPool("image-import", 2);

    /** Threads start on demand and end after a minute idle; work beyond {@code threads} queues. */
    private static ExecutorService boundedPool(String prefix, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
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
                                 MigrationService migrations, HandoffService handoffs, VimConfig config) {
        config.hosts().forEach((hostId, host) -> {
            try {
                registry.register(new EdgeHost(hostId, host.driver(), host.uri(), host.zoneId(),
                        host.cells().orElse(List.of()), HostState.UNKNOWN, host.sshUri().orElse(null)));
            } catch (VimException e) {
                LOG.errorf("Configured edge host %s not registered: %s", hostId, e.getMessage());
            }
        });
        LOG.infof("Edge VIM started with %d edge host(s)", registry.list().size());
        migrations.recoverUnfinished(); // migrations a restart interrupted: finished or rolled back
        handoffs.recover();
    }

    void stop(@Observes ShutdownEvent stop) {
        LOG.info("Edge VIM stopping");
        imageImports.shutdownNow();
        migrationRuns.shutdownNow(); // libvirt finishes a running copy; the next start settles its record
        capacityChecks.shutdownNow();
        if (imageTransfers != null) {
            imageTransfers.shutdownNow(); // a cut-off copy is ignored by hosts and redone on next use
        }
    }
}
