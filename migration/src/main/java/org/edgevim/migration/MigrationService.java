package org.edgevim.migration;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.edgevim.core.capacity.CapacityService;
import org.edgevim.core.capacity.ResourceAmounts;
import org.edgevim.core.driver.BootImages;
import org.edgevim.core.driver.ComputeDriver;
import org.edgevim.core.driver.ComputeInstance;
import org.edgevim.core.driver.ComputeSpec;
import org.edgevim.core.driver.MigrationOptions;
import org.edgevim.core.driver.MigrationProgress;
import org.edgevim.core.driver.MigrationTarget;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.edgevim.core.model.Identifiers;
import org.edgevim.core.model.OperationalState;
import org.edgevim.core.model.VirtualCompute;
import org.edgevim.core.service.BootImageProvider;
import org.edgevim.core.service.ComputeRepository;
import org.edgevim.core.service.ComputeService;
import org.edgevim.core.service.HostRegistry;

/**
 * Mm6 "migrate virtualised compute": moves a running VM to another host of the same backend.
 *
 * <p>The steps, each stored before it is taken (so that a restart of the VIM can tell where it was):
 * the VM's record goes MIGRATING (no other operation touches it meanwhile); PREPARING puts the image
 * into the target's cache (prestaged images are reused) and creates the VM's empty disk overlay
 * there; MIGRATING has the source copy memory and the disk's own blocks while the guest runs, under
 * the requested downtime limit and bandwidth. The record moves to the target only after the target
 * reports the VM running: until then it names the source, so at no moment do the records show two
 * copies, or none. A failure or an abort rolls back the target (disk removed) and leaves the VM
 * running on its source.
 */
public final class MigrationService {

    private static final Logger LOG = Logger.getLogger(MigrationService.class.getName());
    public static final long DEFAULT_MAX_DOWNTIME_MS = 300;
    public static final long MAX_DOWNTIME_LIMIT_MS = 60_000;
    public static final long MAX_BANDWIDTH_MIBPS = 1_000_000;
    /** How long a restarted VIM waits for a migration libvirt still runs before deciding its outcome. */
    private static final Duration RECOVERY_WAIT = Duration.ofMinutes(10);
    /** An offline migration asks a running guest to shut down, and forces it off after this long. */
    private static final Duration OFFLINE_SHUTDOWN = Duration.ofSeconds(30);
    /** A settlement that fails (a host unreachable) is tried again this often, this many times. */
    private static final Duration RECOVERY_RETRY = Duration.ofSeconds(10);
    private static final int RECOVERY_ATTEMPTS = 30;
    /** A target that could not be cleaned up after a failed migration is tried this often, this long. */
    private static final Duration CLEANUP_RETRY = Duration.ofSeconds(2);
    private static final Duration CLEANUP_PATIENCE = Duration.ofMinutes(30);

    private final MigrationRepository migrations;
    private final ComputeService computeService;
    private final ComputeRepository computes;
    private final HostRegistry hosts;
    private final CapacityService capacity;
    private final BootImageProvider images;
    private final Executor runner;
    private final Clock clock;
    /** Migrations a caller asked to abort (by id): the runner checks between steps. */
    private final Set<String> abortRequested = ConcurrentHashMap.newKeySet();
    /** VMs an offline migration stopped, to be started again where they end up. */
    private final Set<String> restartAfterOffline = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> startLocks = new ConcurrentHashMap<>();
    /** Held migrations a caller released (by id): one not yet copying then runs without a hold. */
    private final Set<String> releaseRequested = ConcurrentHashMap.newKeySet();
    /** Serialises the read-modify-write of a migration's record between its runner and watcher. */
    private final Object liveLock = new Object();

    public MigrationService(MigrationRepository migrations, ComputeService computeService, ComputeRepository computes,
            HostRegistry hosts, CapacityService capacity, BootImageProvider images, Executor runner, Clock clock) {
        this.migrations = migrations;
        this.computeService = computeService;
        this.computes = computes;
        this.hosts = hosts;
        this.capacity = capacity;
        this.images = images;
        this.runner = runner;
        this.clock = clock;
    }

    /** Validates, records and starts a migration; returns at once (QUEUED). */
    public Migration start(String computeId, MigrationRequest request) {
        return begin(computeId, request, false);
    }

    /**
     * Starts a memory shadow: a live migration to {@code targetHostId} that copies the VM's disk
     * and memory and then stays in sync, without switching over, until {@link #release} (or
     * {@link #abort}). Only for hosts whose driver {@link ComputeDriver#canHoldMigration() can hold}.
     */
    public Migration startHeld(String computeId, String targetHostId, long maxDowntimeMs) {
        VirtualCompute vm = computes.find(computeId).orElseThrow(() -> new NotFoundException("virtual compute", computeId));
        if (!hosts.driver(vm.hostId()).canHoldMigration()) {
            throw new ConflictException("Edge host '" + vm.hostId() + "' cannot hold a migration open");
        }
        return begin(computeId, new MigrationRequest(targetHostId, MigrationType.LIVE_MIGRATION.name(), maxDowntimeMs,
                null), true);
    }

    private Migration begin(String computeId, MigrationRequest request, boolean held) {
        String targetHostId = Identifiers.requireHostId("targetHostId", request.targetHostId());
        MigrationType type = type(request.migrationType());
        long maxDowntimeMs = bounded("maxDowntimeMs", request.maxDowntimeMs(), DEFAULT_MAX_DOWNTIME_MS, 1,
                MAX_DOWNTIME_LIMIT_MS);
        long bandwidth = bounded("bandwidthMiBps", request.bandwidthMiBps(), 0, 0, MAX_BANDWIDTH_MIBPS);
        VirtualCompute vm = computes.find(computeId).orElseThrow(() -> new NotFoundException("virtual compute", computeId));
        EdgeHost target = hosts.get(targetHostId);
        EdgeHost source = hosts.get(vm.hostId());
        if (target.hostId().equals(source.hostId())) {
            throw new InvalidInputException("targetHostId", "VM " + computeId + " already runs on " + targetHostId);
        }
        if (!target.driver().equals(source.driver())) {
            throw new InvalidInputException("targetHostId", "host " + targetHostId + " runs " + target.driver()
                    + ", the VM's host " + source.hostId() + " runs " + source.driver()
                    + ": migration stays within one backend");
        }
        if (hosts.probe(targetHostId).state() != HostState.REACHABLE) {
            throw new ConflictException("Target host '" + targetHostId + "' is unreachable");
        }
        capacity.of(target).shortfall(ResourceAmounts.of(vm.flavour())).ifPresent(shortfall -> {
            throw new ConflictException("Host " + targetHostId + " has no room for VM " + computeId + ": " + shortfall);
        });
        images.bootImagesFor(vm.vcImageId(), vm.flavour()); // the image must still be usable (ACTIVE)

        Migration migration;
        synchronized (startLocks.computeIfAbsent(computeId, id -> new Object())) {
            if (migrations.unfinished().stream().anyMatch(m -> m.computeId().equals(computeId))) {
                throw new ConflictException("VM " + computeId + " is already being migrated");
            }
            VirtualCompute before = computeService.beginMigration(computeId, targetHostId,
                    type == MigrationType.LIVE_MIGRATION ? Set.of(OperationalState.RUNNING)
                            : Set.of(OperationalState.RUNNING, OperationalState.STOPPED));
            if (type == MigrationType.OFFLINE_MIGRATION && before.operationalState() == OperationalState.RUNNING) {
                restartAfterOffline.add(computeId);
            }
            var now = clock.instant();
            migration = new Migration(UUID.randomUUID().toString(), computeId, before.hostId(), targetHostId, type,
                    MigrationState.QUEUED, maxDowntimeMs, bandwidth, held, MigrationStatistics.NONE, null, now, now, null,
                    null);
            try {
                migrations.insert(migration);
            } catch (RuntimeException e) {
                computeService.abandonMigration(computeId);
                throw e;
            }
        }
        LOG.info(() -> "Migration " + migration.migrationId() + ": VM " + computeId + " from " + migration.sourceHostId()
                + " to " + targetHostId + " (" + type + ", downtime <= " + maxDowntimeMs + " ms"
                + (bandwidth > 0 ? ", " + bandwidth + " MiB/s" : "") + (held ? ", held until released" : "") + ")");
        runner.execute(() -> run(migration));
        return migration;
    }

    /** The migration; while it copies, with the source's current figures. */
    public Migration get(String migrationId) {
        Migration migration = find(migrationId);
        if (migration.state() != MigrationState.MIGRATING) {
            return migration;
        }
        try {
            MigrationProgress progress = hosts.driver(migration.sourceHostId()).migrationProgress(migration.computeId());
            if (progress.state() == MigrationProgress.JobState.RUNNING) {
                return migration.withStatistics(MigrationStatistics.of(progress), clock.instant());
            }
        } catch (RuntimeException e) {
            LOG.fine(() -> "No live figures for migration " + migrationId + ": " + e.getMessage());
        }
        return migration;
    }

    public List<Migration> list(String computeId) {
        return migrations.list(computeId);
    }

    /**
     * Aborts a migration that has not completed: the VM keeps running on its source and the target
     * is cleaned up. Returns at once; the migration ends CANCELLED (or COMPLETED, if it was faster).
     */
    public Migration abort(String migrationId) {
        Migration migration = find(migrationId);
        if (migration.state().isFinal()) {
            throw new ConflictException("Migration " + migrationId + " has already ended (" + migration.state() + ")");
        }
        abortRequested.add(migrationId);
        LOG.info(() -> "Migration " + migrationId + ": abort requested");
        if (migration.state() == MigrationState.MIGRATING) {
            runner.execute(() -> abortCopy(migration));
        }
        return migration;
    }

    /**
     * Lets a held migration switch over now. Returns once the switch-over was asked for (or, if
     * the copy has not reached its hold yet, once it is marked to go through without holding);
     * the migration then COMPLETES, and {@link Migration#liveAt()} records when the target ran it.
     */
    public Migration release(String migrationId) {
        Migration migration = find(migrationId);
        if (!migration.held()) {
            throw new ConflictException("Migration " + migrationId + " is not held; it switches over by itself");
        }
        if (migration.state().isFinal()) {
            throw new ConflictException("Migration " + migrationId + " has already ended (" + migration.state() + ")");
        }
        releaseRequested.add(migrationId);
        ComputeDriver source = hosts.driver(migration.sourceHostId());
        try {
            source.releaseMigration(migration.computeId()); // the usual case: held, released at once
            LOG.info(() -> "Migration " + migrationId + ": released");
            runner.execute(() -> recordLive(migration));
        } catch (ConflictException notHeldYet) {
            runner.execute(() -> releaseWhenHeld(migration)); // still preparing or starting its job
        }
        return migration;
    }

    /** The copy is not held yet: release it once the hold is in place (or it runs unheld). */
    private void releaseWhenHeld(Migration migration) {
        ComputeDriver source = hosts.driver(migration.sourceHostId());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Migration now = find(migration.migrationId());
            if (now.state().isFinal() || now.state() == MigrationState.QUEUED
                    || now.state() == MigrationState.PREPARING) {
                return; // ended, or it will start without a hold (run() sees the request)
            }
            try {
                source.releaseMigration(migration.computeId());
                LOG.info(() -> "Migration " + migration.migrationId() + ": released once its hold began");
                recordLive(migration);
                return;
            } catch (RuntimeException e) {
                sleep(Duration.ofMillis(5));
            }
        }
        LOG.warning("Migration " + migration.migrationId() + " could not be released within 60 s");
    }

    /** Watches the target until it runs the VM: the end of the handover's interruption. */
    private void recordLive(Migration migration) {
        ComputeDriver target = hosts.driver(migration.targetHostId());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int polls = 0;
        while (System.nanoTime() < deadline) {
            try {
                if (target.find(migration.computeId()).map(ComputeInstance::state).orElse(null)
                        == OperationalState.RUNNING) {
                    java.time.Instant at = clock.instant();
                    synchronized (liveLock) {
                        Migration latest = find(migration.migrationId());
                        if (latest.liveAt() == null) {
                            migrations.update(latest.liveOnTargetAt(at));
                        }
                    }
                    return;
                }
            } catch (RuntimeException e) {
                LOG.fine(() -> "Target not answering yet: " + e.getMessage());
            }
            // the target is polled every 2 ms (this is the figure the handover is judged by); the
            // record, to see whether the move failed instead, only every 100 ms
            if (++polls % 50 == 0 && find(migration.migrationId()).state().isFinal()) {
                return;
            }
            sleep(Duration.ofMillis(2));
        }
    }

    /**
     * After a restart: decides every migration that was under way, by asking the hosts where the
     * VM is (libvirt finishes a peer-to-peer migration without the VIM). Runs in the background.
     */
    public void recoverUnfinished() {
        for (Migration migration : migrations.unfinished()) {
            runner.execute(() -> recover(migration));
        }
    }

    // --- the run -----------------------------------------------------------------------------

    private void run(Migration queued) {
        Migration migration = queued;
        String computeId = migration.computeId();
        ComputeDriver source = hosts.driver(migration.sourceHostId());
        ComputeDriver target = hosts.driver(migration.targetHostId());
        boolean targetPrepared = false;
        boolean offline = migration.migrationType() == MigrationType.OFFLINE_MIGRATION;
        boolean startedPaused = false;
        try {
            migration = step(migration, MigrationState.PREPARING);
            VirtualCompute vm = computes.find(computeId).orElseThrow();
            BootImages boot = images.bootImagesFor(vm.vcImageId(), vm.flavour());
            images.ensureOnHost(boot, migration.targetHostId());
            checkNotAborted(migration);
            target.prepareMigrationTarget(ComputeSpec.of(vm, boot));
            targetPrepared = true;
            checkNotAborted(migration);
            if (offline) {
                // A stopped VM moves as a paused one that never ran: libvirt copies its disk with it.
                if (restartAfterOffline.contains(computeId)) {
                    source.operate(computeId, org.edgevim.core.model.ComputeOperation.STOP, OFFLINE_SHUTDOWN);
                }
                source.startPaused(computeId);
                startedPaused = true;
            }
            migration = step(migration, MigrationState.MIGRATING);
            source.migrate(computeId, new MigrationTarget(migration.targetHostId(),
                    hosts.get(migration.targetHostId()).uri()), new MigrationOptions(
                    Duration.ofMillis(migration.maxDowntimeMs()), migration.bandwidthMiBps(),
                    migration.held() && !releaseRequested.contains(migration.migrationId())));
        } catch (RuntimeException e) {
            if (startedPaused) {
                quietly(() -> source.operate(computeId, org.edgevim.core.model.ComputeOperation.STOP, Duration.ZERO));
            }
            if (offline && restartAfterOffline.remove(computeId)) {
                quietly(() -> source.operate(computeId, org.edgevim.core.model.ComputeOperation.START, Duration.ZERO));
            }
            rollBack(migration, targetPrepared, e);
            return;
        }
        if (offline) {
            // Arrived paused, never having run: started (it boots) if it ran before, else stopped.
            boolean start = restartAfterOffline.remove(computeId);
            quietly(() -> target.operate(computeId, start ? org.edgevim.core.model.ComputeOperation.UNPAUSE
                    : org.edgevim.core.model.ComputeOperation.STOP, Duration.ZERO));
        }
        complete(migration, target, source, null, clock.instant());
    }

    private static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warning("Offline migration clean-up step failed: " + e.getMessage());
        }
    }

    /** @param returnedAt when the source's migrate call returned: the VM ran on the target by then */
    private void complete(Migration migration, ComputeDriver target, ComputeDriver source, String note,
            java.time.Instant returnedAt) {
        String computeId = migration.computeId();
        MigrationStatistics statistics = migration.statistics();
        try {
            statistics = MigrationStatistics.of(target.completedMigration(computeId));
        } catch (RuntimeException e) {
            LOG.fine(() -> "No completed-job figures for " + computeId + ": " + e.getMessage());
        }
        if (statistics.downtimeMs() == null) {
            try { // post-copy: only the source recorded the downtime
                MigrationStatistics fromSource = MigrationStatistics.of(source.completedMigration(computeId));
                if (fromSource.downtimeMs() != null) {
                    statistics = fromSource;
                }
            } catch (RuntimeException e) {
                LOG.fine(() -> "No completed-job figures for " + computeId + " on the source: " + e.getMessage());
            }
        }
        OperationalState there = target.find(computeId).map(ComputeInstance::state).orElse(OperationalState.UNKNOWN);
        computeService.completeMigration(computeId, hosts.get(migration.targetHostId()), there);
        try {
            source.releaseDisk(computeId);
        } catch (RuntimeException e) {
            LOG.warning("VM " + computeId + " moved, but its old disk on " + migration.sourceHostId()
                    + " could not be removed: " + e.getMessage());
        }
        abortRequested.remove(migration.migrationId());
        releaseRequested.remove(migration.migrationId());
        synchronized (liveLock) {
            Migration latest = find(migration.migrationId());
            java.time.Instant live = latest.liveAt() != null ? latest.liveAt() : returnedAt;
            Migration done = latest.withStatistics(statistics, clock.instant());
            if (live != null) {
                done = done.liveOnTargetAt(live);
            }
            migrations.update(done.inState(MigrationState.COMPLETED, note, clock.instant()));
        }
        MigrationStatistics s = statistics;
        LOG.info(() -> "Migration " + migration.migrationId() + " COMPLETED: VM " + computeId + " runs on "
                + migration.targetHostId() + " (" + s.iteration() + " iteration(s), " + s.memoryProcessedBytes()
                + " bytes, downtime " + s.downtimeMs() + " ms)" + (note == null ? "" : "; " + note));
    }

    private void rollBack(Migration migration, boolean targetPrepared, RuntimeException cause) {
        String computeId = migration.computeId();
        boolean aborted = abortRequested.remove(migration.migrationId());
        releaseRequested.remove(migration.migrationId());
        if (targetPrepared || migration.state() == MigrationState.MIGRATING) {
            try {
                hosts.driver(migration.targetHostId()).releaseDisk(computeId);
            } catch (RuntimeException e) {
                LOG.warning("Could not remove the disk prepared for " + computeId + " on " + migration.targetHostId()
                        + " (" + e.getMessage() + "); trying again every " + CLEANUP_RETRY.toSeconds() + " s");
                runner.execute(() -> cleanUpTarget(migration));
            }
        }
        computeService.abandonMigration(computeId);
        MigrationState end = aborted ? MigrationState.CANCELLED : MigrationState.FAILED;
        String reason = aborted ? null : cause.getMessage();
        migrations.update(migration.inState(end, reason, clock.instant()));
        if (aborted) {
            LOG.info(() -> "Migration " + migration.migrationId() + " CANCELLED: VM " + computeId + " stays on "
                    + migration.sourceHostId());
        } else {
            LOG.log(Level.WARNING, "Migration " + migration.migrationId() + " FAILED: VM " + computeId + " stays on "
                    + migration.sourceHostId() + ": " + cause.getMessage());
        }
    }

    /**
     * After a failed or aborted migration whose target could not be cleaned up at once (its
     * daemon down, or libvirt still tearing the incoming VM down): removes what is left there once
     * the host answers -- a leftover incoming VM (only while the VM's record and its source both
     * say it runs on the source) and the disk prepared for it.
     */
    private void cleanUpTarget(Migration migration) {
        String computeId = migration.computeId();
        ComputeDriver target = hosts.driver(migration.targetHostId());
        long deadline = System.nanoTime() + CLEANUP_PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            sleep(CLEANUP_RETRY);
            try {
                if (target.find(computeId).isPresent()) {
                    VirtualCompute vm = computes.find(computeId).orElse(null);
                    if (vm == null || vm.hostId().equals(migration.targetHostId())
                            || hosts.driver(vm.hostId()).find(computeId).isEmpty()) {
                        return; // not a leftover: leave it to the operator and the reconcile
                    }
                    LOG.warning("Removing the leftover copy of VM " + computeId + " on " + migration.targetHostId()
                            + " (migration " + migration.migrationId() + " did not happen; the VM runs on "
                            + vm.hostId() + ")");
                    target.terminate(computeId, org.edgevim.core.model.TerminationType.FORCEFUL, Duration.ZERO);
                } else {
                    target.releaseDisk(computeId);
                }
                LOG.info(() -> "Cleaned up after migration " + migration.migrationId() + " on "
                        + migration.targetHostId());
                return;
            } catch (RuntimeException e) {
                LOG.fine(() -> "Clean-up on " + migration.targetHostId() + " not possible yet: " + e.getMessage());
            }
        }
        LOG.warning("Gave up cleaning up after migration " + migration.migrationId() + " on "
                + migration.targetHostId() + ": VM " + computeId + "'s disk there may remain");
    }

    /** Aborts the copy; libvirt may not have started the job yet, so it is tried for a little while. */
    private void abortCopy(Migration migration) {
        ComputeDriver source = hosts.driver(migration.sourceHostId());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && abortRequested.contains(migration.migrationId())) {
            try {
                if (source.migrationProgress(migration.computeId()).state() == MigrationProgress.JobState.RUNNING) {
                    source.abortMigration(migration.computeId());
                    return;
                }
            } catch (RuntimeException e) {
                LOG.fine(() -> "Abort of " + migration.migrationId() + " not taken yet: " + e.getMessage());
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private void recover(Migration migration) {
        String computeId = migration.computeId();
        LOG.info(() -> "Migration " + migration.migrationId() + " of VM " + computeId + " was under way when the VIM "
                + "stopped: settling it (libvirt may still be copying)");
        for (int attempt = 1; ; attempt++) {
            try {
                settle(migration);
                return;
            } catch (RuntimeException e) {
                if (attempt == RECOVERY_ATTEMPTS) {
                    LOG.warning("Migration " + migration.migrationId() + " could not be settled (tried again at the "
                            + "next start; VM " + computeId + " stays MIGRATING until then): " + e.getMessage());
                    return;
                }
                LOG.info(() -> "Migration " + migration.migrationId() + " not settled yet (" + e.getMessage()
                        + "); trying again in " + RECOVERY_RETRY.toSeconds() + " s");
                sleep(RECOVERY_RETRY); // e.g. a host still unreachable
            }
        }
    }

    /** Waits for a copy libvirt still runs, then completes or rolls back by where the VM is. */
    private void settle(Migration migration) {
        String computeId = migration.computeId();
        ComputeDriver source = hosts.driver(migration.sourceHostId());
        ComputeDriver target = hosts.driver(migration.targetHostId());
        if (migration.held() && stillCopying(source, computeId)) {
            // Its hold ended with the VIM that ran it and nobody will release it: end it here.
            LOG.info(() -> "Migration " + migration.migrationId() + " was a held memory shadow: aborting it");
            abortRequested.add(migration.migrationId());
            try {
                source.abortMigration(computeId);
            } catch (RuntimeException e) {
                LOG.info(() -> "Could not abort " + migration.migrationId() + " (" + e.getMessage()
                        + "); waiting for it to end");
            }
        }
        long deadline = System.nanoTime() + RECOVERY_WAIT.toNanos();
        while (System.nanoTime() < deadline && stillCopying(source, computeId)) {
            sleep(Duration.ofMillis(500));
        }
        // Decide by where the VM *runs*: a source that completed a copy keeps a shut-off definition
        // for a moment (or, after a held copy, until the VIM removes it).
        boolean runsOnSource = runs(source, computeId);
        boolean runsOnTarget = runs(target, computeId);
        if (runsOnTarget && !runsOnSource) {
            if (source.find(computeId).isPresent()) {
                source.terminate(computeId, org.edgevim.core.model.TerminationType.FORCEFUL, Duration.ZERO);
            }
            complete(migration, target, source, "finished while the VIM was restarting", null);
        } else if (runsOnSource) {
            rollBack(migration, true, new IllegalStateException("the VIM restarted during the migration"));
        } else {
            throw new IllegalStateException("neither " + migration.sourceHostId() + " nor " + migration.targetHostId()
                    + " runs the VM (yet)");
        }
    }

    /** Whether the host runs the VM (paused counts: a copy's target is paused until it completes). */
    private static boolean runs(ComputeDriver host, String computeId) {
        return host.find(computeId).map(ComputeInstance::state)
                .filter(s -> s == OperationalState.RUNNING || s == OperationalState.PAUSED).isPresent();
    }

    /** Whether the source still runs the copy; a VM that left the source (migrated) is not copying. */
    private static boolean stillCopying(ComputeDriver source, String computeId) {
        try {
            // a source that completed a copy keeps a shut-off definition (for a while): not copying
            return runs(source, computeId)
                    && source.migrationProgress(computeId).state() == MigrationProgress.JobState.RUNNING;
        } catch (NotFoundException gone) {
            return false;
        }
    }

    private Migration step(Migration migration, MigrationState next) {
        checkNotAborted(migration);
        Migration updated = migration.inState(next, null, clock.instant());
        migrations.update(updated);
        return updated;
    }

    private void checkNotAborted(Migration migration) {
        if (abortRequested.contains(migration.migrationId())) {
            throw new ConflictException("aborted by request");
        }
    }

    private Migration find(String migrationId) {
        return migrations.find(migrationId).orElseThrow(() -> new NotFoundException("migration", migrationId));
    }

    private static MigrationType type(String value) {
        if (value == null) {
            return MigrationType.LIVE_MIGRATION;
        }
        try {
            return MigrationType.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("migrationType", "must be LIVE_MIGRATION or OFFLINE_MIGRATION (got '"
                    + value + "')");
        }
    }

    private static long bounded(String field, Long value, long fallback, long min, long max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw new InvalidInputException(field, "must be between " + min + " and " + max);
        }
        return value;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
