package org.edgevim.libvirt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.edgevim.core.driver.ComputeDriver;
import org.edgevim.core.driver.ComputeInstance;
import org.edgevim.core.driver.BootImages;
import org.edgevim.core.driver.ComputeSpec;
import org.edgevim.core.driver.HostImageCache;
import org.edgevim.core.image.ImageRef;
import org.edgevim.core.driver.HostResources;
import org.edgevim.core.driver.MigrationOptions;
import org.edgevim.core.driver.MigrationProgress;
import org.edgevim.core.driver.MigrationTarget;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.HoldLostException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.model.ComputeOperation;
import org.edgevim.core.model.OperationalState;
import org.edgevim.core.model.TerminationType;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.StoragePool;
import org.libvirt.StoragePoolInfo;
import org.libvirt.StorageVol;

/**
 * {@link ComputeDriver} for one libvirt host. A VM is a persistent domain named by its computeId
 * whose disk is a qcow2 overlay, in the VIM's storage pool, on the image's base volume.
 */
final class LibvirtComputeDriver implements ComputeDriver {

    private static final Logger LOG = Logger.getLogger(LibvirtComputeDriver.class.getName());
    private static final long GIB = 1024L * 1024 * 1024;
    /** Destroy is immediate, but QEMU may take a moment to exit. */
    private static final Duration DESTROY_WAIT = Duration.ofSeconds(30);
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    /** Held migrations (memory shadows) running from this host, by VM. */
    private final Map<String, PreCopyHold> holds = new java.util.concurrent.ConcurrentHashMap<>();
    /** Figures of held migrations that left this host (post-copy leaves the target's record empty). */
    private final Map<String, MigrationProgress> completedHeld = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MODIFY_LIVE = 1;
    private static final int MODIFY_CONFIG = 2;
    private static final int METADATA_ELEMENT = 2;
    /**
     * Live, host-to-host (the source libvirtd drives it), the definition moves with the VM, and
     * the overlay's own blocks are copied (the target has the base image and an empty overlay).
     */
    /** virDomainCreateFlags: the vCPUs stay paused from the start. */
    private static final int VIR_DOMAIN_START_PAUSED = 1;
    private static final long MIGRATE_FLAGS = Domain.MigrateFlags.LIVE | Domain.MigrateFlags.PEER2PEER
            | Domain.MigrateFlags.PERSIST_DEST | Domain.MigrateFlags.UNDEFINE_SOURCE
            | Domain.MigrateFlags.NON_SHARED_INC | Domain.MigrateFlags.ABORT_ON_ERROR;

    private final String hostId;
    private final LibvirtHostConnection connection;
    private final LibvirtDriverSettings settings;
    private final LibvirtImageCache images;
    private volatile String domainType;

    LibvirtComputeDriver(String hostId, LibvirtHostConnection connection, LibvirtDriverSettings settings,
            LibvirtImageCache images) {
        this.hostId = hostId;
        this.connection = connection;
        this.settings = settings;
        this.images = images;
    }

    @Override
    public HostImageCache images() {
        return images;
    }

    @Override
    public String hostId() {
        return hostId;
    }

    @Override
    public void probe() {
        try {
            connection.call("answer", Connect::getLibVersion);
        } catch (HostUnavailableException staleConnection) {
            // The daemon may have restarted since the last call: the first call on the old
            // connection fails and drops it; a second one opens a fresh connection.
            connection.call("answer", Connect::getLibVersion);
        }
    }

    @Override
    public ComputeInstance allocate(ComputeSpec spec) {
        String id = spec.computeId();
        BootVolumes boot = bootVolumes(spec);
        String type = domainType();
        boolean overlayCreated = false;
        boolean defined = false;
        try {
            String diskPath = createDisk(spec, boot);
            overlayCreated = true;
            DomainDefinition definition = new DomainDefinition(type, id, spec.computeName(), spec.imageId(),
                    spec.flavour().virtualCpu(), spec.flavour().virtualMemory(), boot.kernelPath(), boot.initrdPath(),
                    boot.kernelPath() == null ? null : kernelCmdline(spec.guestParameters()), diskPath,
                    DomainNames.consoleLog(settings.consoleLogDir(), id), spec.metadata());
            connection.call("define " + id, c -> {
                c.domainDefineXML(DomainXml.write(definition)).free();
                return null;
            });
            defined = true;
            withDomain("start " + id, id, d -> d.create());
            waitFor(id, Set.of(OperationalState.RUNNING), START_WAIT);
            return find(id).orElseThrow(() -> new BackendException("VM " + id + " vanished right after start", null));
        } catch (RuntimeException e) {
            LOG.warning("Allocation of " + id + " on " + hostId + " failed (" + e.getMessage() + "); removing what was made");
            cleanUpQuietly(id, defined, overlayCreated);
            throw e;
        }
    }

    @Override
    public Optional<ComputeInstance> find(String computeId) {
        return connection.call("look up " + computeId, c -> {
            Domain domain;
            try {
                domain = c.domainLookupByName(DomainNames.requireComputeId(computeId));
            } catch (LibvirtException e) {
                if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                    return Optional.empty();
                }
                throw e;
            }
            try {
                return Optional.of(instance(computeId, domain.getInfo()));
            } finally {
                domain.free();
            }
        });
    }

    @Override
    public List<ComputeInstance> list() {
        return connection.call("list VMs", c -> {
            List<ComputeInstance> result = new ArrayList<>();
            for (Domain domain : c.listAllDomains(0)) {
                try {
                    String name = domain.getName();
                    if (DomainNames.isComputeId(name)) {
                        result.add(instance(name, domain.getInfo()));
                    }
                } finally {
                    domain.free();
                }
            }
            return result;
        });
    }

    @Override
    public void updateMetadata(String computeId, Map<String, String> metadata) {
        withDomain("update metadata of " + computeId, computeId, d -> {
            String current = d.getMetadata(METADATA_ELEMENT, DomainXml.VIM_NAMESPACE, MODIFY_CONFIG);
            String title = DomainXml.readField(current, "name");
            String image = DomainXml.readField(current, "image");
            int impact = MODIFY_CONFIG | (d.isActive() == 1 ? MODIFY_LIVE : 0);
            d.setMetadata(METADATA_ELEMENT, DomainXml.metadataXml(title, image, metadata), DomainXml.VIM_PREFIX,
                    DomainXml.VIM_NAMESPACE, impact);
        });
    }

    @Override
    public OperationalState operate(String computeId, ComputeOperation operation, Duration gracefulTimeout) {
        switch (operation) {
            case START -> withDomain("start " + computeId, computeId, Domain::create);
            case PAUSE -> withDomain("pause " + computeId, computeId, Domain::suspend);
            case UNPAUSE -> withDomain("resume " + computeId, computeId, Domain::resume);
            case STOP -> stop(computeId, gracefulTimeout);
            case REBOOT -> reboot(computeId, gracefulTimeout);
        }
        return waitFor(computeId, Set.of(operation.resultingState()), START_WAIT);
    }

    @Override
    public void terminate(String computeId, TerminationType type, Duration gracefulTimeout) {
        Optional<ComputeInstance> instance = find(computeId);
        if (instance.isPresent()) {
            OperationalState state = instance.get().state();
            if (state != OperationalState.STOPPED && state != OperationalState.CRASHED) {
                if (type == TerminationType.GRACEFUL) {
                    stop(computeId, gracefulTimeout);
                } else {
                    destroy(computeId);
                }
            }
            withDomain("undefine " + computeId, computeId, Domain::undefine);
        }
        deleteOverlay(computeId);
    }

    @Override
    public void prepareMigrationTarget(ComputeSpec spec) {
        createDisk(spec, bootVolumes(spec));
    }

    @Override
    public void startPaused(String computeId) {
        withDomain("start " + computeId + " paused", computeId, d -> d.create(VIR_DOMAIN_START_PAUSED));
        waitFor(computeId, Set.of(OperationalState.PAUSED), START_WAIT);
    }

    @Override
    public void migrate(String computeId, MigrationTarget target, MigrationOptions options) {
        String address = java.net.URI.create(target.uri()).getHost();
        if (address == null) {
            throw new InvalidInputException("targetHostId", "host '" + target.hostId() + "' has no network address in "
                    + target.uri());
        }
        if (options.held()) {
            migrateHeld(computeId, target, address, options);
            return;
        }
        // libvirt re-applies its own migration parameters when the job starts, so the downtime
        // limit is set once the job exists, from a second thread, while this one is inside migrate.
        Thread limiter = new Thread(() -> applyDowntimeLimit(computeId, options), "migration-downtime-" + computeId);
        limiter.setDaemon(true);
        withDomain("migrate " + computeId + " to " + target.hostId(), computeId, d -> {
            limiter.start();
            try {
                d.migrateToURI(target.uri(), "tcp://" + address, null, MIGRATE_FLAGS, null, options.bandwidthMiBps());
            } finally {
                limiter.interrupt();
            }
        });
        LOG.info(() -> "Migrated " + computeId + " from " + hostId + " to " + target.hostId());
    }

    /**
     * A memory shadow: the same migration with post-copy enabled, held in pre-copy by
     * {@link PreCopyHold} until {@link #releaseMigration} (or aborted).
     */
    private void migrateHeld(String computeId, MigrationTarget target, String address, MigrationOptions options) {
        long windowCap = options.bandwidthMiBps() > 0
                ? Math.min(PreCopyHold.DEFAULT_WINDOW_CAP, options.bandwidthMiBps() * 1024 * 1024 / 10)
                : PreCopyHold.DEFAULT_WINDOW_CAP;
        // Without UNDEFINE_SOURCE: after post-copy only the source's record of the job has QEMU's
        // downtime (the target's is empty), so the definition stays until that has been read.
        long flags = (MIGRATE_FLAGS & ~Domain.MigrateFlags.UNDEFINE_SOURCE) | Domain.MigrateFlags.POSTCOPY;
        withDomain("migrate " + computeId + " to " + target.hostId() + " (held)", computeId, d -> {
            PreCopyHold hold = new PreCopyHold(d, computeId, windowCap);
            holds.put(computeId, hold);
            hold.start();
            try {
                d.migrateToURI(target.uri(), "tcp://" + address, null, flags, null, 0);
            } catch (LibvirtException e) {
                hold.stop();
                if (hold.holdLost()) {
                    throw new HoldLostException("the copy of " + computeId + " to " + target.hostId()
                            + " reached switch-over by itself and was cancelled", e);
                }
                throw e;
            } finally {
                holds.remove(computeId, hold);
                hold.stop(); // before the domain handle is freed
            }
            try {
                completedHeld.put(computeId, progress(JobStats.of(d, JobStats.COMPLETED)));
            } catch (RuntimeException e) {
                LOG.fine(() -> "No completed-job figures for " + computeId + " on the source: " + e.getMessage());
            }
            d.undefine();
        });
        LOG.info(() -> "Migrated " + computeId + " from " + hostId + " to " + target.hostId() + " (memory shadow)");
        // (if the hold had cancelled a switch-over QEMU began by itself but libvirt completed it
        // anyway, the VM is on the target now: the caller learns it from this normal return)
    }

    @Override
    public boolean canHoldMigration() {
        return true;
    }

    @Override
    public void releaseMigration(String computeId) {
        PreCopyHold hold = holds.get(computeId);
        if (hold == null) {
            throw new ConflictException("No held migration of VM " + computeId + " runs on edge host '" + hostId + "'");
        }
        hold.release();
    }

    private void applyDowntimeLimit(String computeId, MigrationOptions options) {
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                if (migrationProgress(computeId).state() == MigrationProgress.JobState.RUNNING) {
                    withDomain("limit downtime of " + computeId, computeId,
                            d -> d.migrateSetMaxDowntime(options.maxDowntime().toMillis()));
                    return;
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warning("Could not set the downtime limit of " + computeId + ": " + e.getMessage());
        }
    }

    @Override
    public MigrationProgress migrationProgress(String computeId) {
        JobStats[] stats = new JobStats[1];
        withDomain("read the migration job of " + computeId, computeId, d -> stats[0] = JobStats.of(d, 0));
        return progress(stats[0]);
    }

    @Override
    public MigrationProgress completedMigration(String computeId) {
        MigrationProgress held = completedHeld.remove(computeId);
        if (held != null) {
            return held; // read on this (source) host when the held migration returned
        }
        JobStats[] stats = new JobStats[1];
        withDomain("read the completed migration of " + computeId, computeId,
                d -> stats[0] = JobStats.of(d, JobStats.COMPLETED));
        return progress(stats[0]);
    }

    /** libvirt's job statistics (virDomainGetJobStats) as the contract's progress. */
    private static MigrationProgress progress(JobStats job) {
        long pageSize = job.has("memory_page_size") ? job.get("memory_page_size") : 4096;
        return new MigrationProgress(JobTypes.state(job.type()), job.get("memory_total"), job.get("memory_processed"),
                job.get("memory_remaining"), job.get("memory_iteration"), job.get("memory_dirty_rate") * pageSize,
                Duration.ofMillis(job.get("time_elapsed")),
                job.has("downtime") ? Duration.ofMillis(job.get("downtime")) : null);
    }

    @Override
    public void abortMigration(String computeId) {
        withDomain("abort the migration of " + computeId, computeId, Domain::abortJob);
    }

    @Override
    public void releaseDisk(String computeId) {
        if (find(computeId).isPresent()) {
            throw new ConflictException("VM " + computeId + " is still defined on edge host '" + hostId
                    + "'; its disk stays");
        }
        deleteOverlay(computeId);
    }

    @Override
    public HostResources resources() {
        return connection.call("report resources", c -> {
            NodeInfo node = c.nodeInfo();
            StoragePool pool = pool(c);
            try {
                pool.refresh(0);
                StoragePoolInfo info = pool.getInfo();
                return new HostResources(node.cpus, node.memory / 1024, info.capacity / GIB, info.available / GIB);
            } finally {
                pool.free();
            }
        });
    }

    @Override
    public void close() {
        connection.close();
    }

    /** Graceful stop: ACPI power button, wait, then destroy if the guest did not comply. */
    private void stop(String computeId, Duration gracefulTimeout) {
        OperationalState state = find(computeId).map(ComputeInstance::state).orElseThrow(() -> gone(computeId));
        if (state == OperationalState.PAUSED) {
            withDomain("resume " + computeId, computeId, Domain::resume); // a paused guest cannot hear ACPI
        }
        if (!gracefulTimeout.isZero()) {
            withDomain("shut down " + computeId, computeId, Domain::shutdown);
            if (waitQuietly(computeId, gracefulTimeout)) {
                return;
            }
            LOG.warning("VM " + computeId + " did not shut down within " + gracefulTimeout.toSeconds()
                    + " s; destroying it");
        }
        destroy(computeId);
    }

    private void destroy(String computeId) {
        withDomain("destroy " + computeId, computeId, d -> {
            try {
                d.destroy();
            } catch (LibvirtException e) {
                if (!LibvirtErrors.is(e, ErrorNumber.VIR_ERR_OPERATION_INVALID)) { // already off
                    throw e;
                }
            }
        });
        waitFor(computeId, Set.of(OperationalState.STOPPED, OperationalState.CRASHED), DESTROY_WAIT);
    }

    /** Graceful reboot: ACPI, and wait for the guest to reset; hard reset if it does not in time. */
    private void reboot(String computeId, Duration gracefulTimeout) {
        long before = connection.rebootCount(computeId);
        withDomain("reboot " + computeId, computeId, d -> d.reboot(0));
        if (!awaitCondition(() -> connection.rebootCount(computeId) - before, gracefulTimeout)) {
            LOG.warning("VM " + computeId + " did not reboot within " + gracefulTimeout.toSeconds() + " s; resetting it");
            withDomain("reset " + computeId, computeId, Domain::reset);
        }
    }

    private boolean waitQuietly(String computeId, Duration timeout) {
        return awaitCondition(() -> find(computeId).map(i -> i.state() == OperationalState.STOPPED ? 1L : 0L).orElse(1L),
                timeout);
    }

    private OperationalState waitFor(String computeId, Set<OperationalState> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OperationalState state = find(computeId).map(ComputeInstance::state).orElseThrow(() -> gone(computeId));
            if (wanted.contains(state)) {
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new BackendException("VM " + computeId + " on " + hostId + " is " + state + " after "
                        + timeout.toSeconds() + " s; expected " + wanted, null);
            }
            sleep(settings.pollInterval());
        }
    }

    /** Polls until the supplier returns a positive value or the timeout passes. */
    private boolean awaitCondition(LongSupplier progress, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (progress.getAsLong() > 0) {
                return true;
            }
            sleep(settings.pollInterval());
        }
        return progress.getAsLong() > 0;
    }

    private void deleteOverlay(String computeId) {
        connection.call("delete the disk of " + computeId, c -> {
            StoragePool pool = pool(c);
            try {
                StorageVol volume = pool.storageVolLookupByName(DomainNames.overlayVolume(computeId));
                try {
                    volume.delete(0);
                } finally {
                    volume.free();
                }
            } catch (LibvirtException e) {
                if (!LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_VOL)) {
                    throw e;
                }
            } finally {
                pool.free();
            }
            return null;
        });
    }

    private void cleanUpQuietly(String computeId, boolean defined, boolean overlayCreated) {
        try {
            if (defined) {
                terminate(computeId, TerminationType.FORCEFUL, Duration.ZERO);
            } else if (overlayCreated) {
                deleteOverlay(computeId);
            }
        } catch (RuntimeException cleanupFailure) {
            LOG.severe("Could not remove the remains of failed allocation " + computeId + " on " + hostId + ": "
                    + cleanupFailure.getMessage());
        }
    }

    private BootVolumes bootVolumes(ComputeSpec spec) {
        BootImages images = spec.boot();
        BootVolumes boot = connection.call("look up the images of " + spec.computeId(), c -> {
            StoragePool pool = pool(c);
            try {
                StorageVol base = requireVolume(pool, images.disk());
                try {
                    return new BootVolumes(base.getPath(), base.getInfo().capacity,
                            ImageVolumes.volumeFormat(images.disk().format()),
                            images.kernel() == null ? null : pathOf(pool, images.kernel()),
                            images.ramdisk() == null ? null : pathOf(pool, images.ramdisk()));
                } finally {
                    base.free();
                }
            } finally {
                pool.free();
            }
        });
        if (boot.baseCapacityBytes() > spec.flavour().disk() * GIB) {
            throw new InvalidInputException("flavour.disk", "image '" + spec.imageId() + "' needs at least "
                    + (boot.baseCapacityBytes() + GIB - 1) / GIB + " GiB");
        }
        return boot;
    }

    /** The VM's disk: a qcow2 overlay of the flavour's size on the image's base volume. Returns its path. */
    private String createDisk(ComputeSpec spec, BootVolumes boot) {
        String id = spec.computeId();
        return connection.call("create the disk of " + id, c -> {
            StoragePool pool = pool(c);
            try {
                StorageVol overlay = pool.storageVolCreateXML(VolumeXml.overlay(DomainNames.overlayVolume(id),
                        spec.flavour().disk() * GIB, boot.basePath(), boot.baseFormat()), 0);
                try {
                    return overlay.getPath();
                } finally {
                    overlay.free();
                }
            } finally {
                pool.free();
            }
        });
    }

    /** The core copies every image to the host before allocating: a missing one was removed behind our back. */
    private StorageVol requireVolume(StoragePool pool, ImageRef image) throws LibvirtException {
        return StoragePools.volume(pool, ImageVolumes.name(image)).orElseThrow(() -> new BackendException("Image '"
                + image.imageId() + "' is missing from pool '" + settings.storagePool() + "' on edge host '" + hostId
                + "' although the VIM copied it there", null));
    }

    private record BootVolumes(String basePath, long baseCapacityBytes, String baseFormat, String kernelPath,
            String initrdPath) {
    }

    private String pathOf(StoragePool pool, ImageRef image) throws LibvirtException {
        StorageVol volume = requireVolume(pool, image);
        try {
            return volume.getPath();
        } finally {
            volume.free();
        }
    }

    private StoragePool pool(Connect c) throws LibvirtException {
        return StoragePools.lookup(c, settings.storagePool(), hostId);
    }

    private String kernelCmdline(Map<String, String> guestParameters) {
        String extra = guestParameters.entrySet().stream()
                .map(e -> "vim." + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        return extra.isEmpty() ? settings.kernelCmdline() : settings.kernelCmdline() + " " + extra;
    }

    /** kvm when the host offers it (and the setting allows), else qemu (TCG). Decided once per driver. */
    private String domainType() {
        if (domainType == null) {
            domainType = settings.domainType().equals("auto")
                    ? connection.call("read capabilities", c -> HostCapabilities.offersKvm(c.getCapabilities()) ? "kvm" : "qemu")
                    : settings.domainType();
            LOG.info(() -> "Edge host " + hostId + " runs VMs with domain type " + domainType);
        }
        return domainType;
    }

    private static ComputeInstance instance(String computeId, DomainInfo info) {
        return new ComputeInstance(computeId, DomainStates.fromState(info.state), info.state.name());
    }

    private void withDomain(String action, String computeId, DomainAction body) {
        connection.call(action, c -> {
            Domain domain;
            try {
                domain = c.domainLookupByName(DomainNames.requireComputeId(computeId));
            } catch (LibvirtException e) {
                if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                    throw gone(computeId);
                }
                throw e;
            }
            try {
                body.apply(domain);
            } finally {
                domain.free();
            }
            return null;
        });
    }

    @FunctionalInterface
    private interface DomainAction {
        void apply(Domain domain) throws LibvirtException;
    }

    private NotFoundException gone(String computeId) {
        return NotFoundException.withMessage("VM " + computeId + " does not exist on edge host '" + hostId + "'");
    }

    private static void sleep(Duration duration) {
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted while waiting for a VM", e);
        }
    }
}
