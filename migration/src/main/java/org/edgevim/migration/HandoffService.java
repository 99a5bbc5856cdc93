package org.edgevim.migration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import org.edgevim.core.driver.BootImages;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.HoldLostException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.event.NotificationPublisher;
import org.edgevim.core.event.VimNotification;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.Identifiers;
import org.edgevim.core.model.VirtualCompute;
import org.edgevim.core.service.BootImageProvider;
import org.edgevim.core.service.ComputeRepository;
import org.edgevim.core.service.HostRegistry;

/**
 * The VM follows its user: a handover prediction prepares shadows of the VM on the hosts serving
 * the candidate cells; the handover's execution moves the VM to the chosen host and discards the
 * other shadows; a handover that never comes (TTL), is cancelled or rejected costs the prepared
 * copies and nothing else. One handoff per VM at a time: a new prediction revises the open one
 * (shadows still wanted are kept, not restarted), a second execute is refused.
 *
 * <p>Every candidate gets the VM's image in its cache ({@link ShadowKind#IMAGE}); the most likely
 * one, where the backend can hold a migration, also gets the VM's disk and memory by a live
 * migration held in sync with the running VM ({@link ShadowKind#MEMORY}). An execute to that host
 * releases the hold: the VM switches over at once (post-copy), within the handover's pause. An
 * execute elsewhere aborts the held copy first and then moves the VM by an ordinary live migration
 * (using the image shadow there, if any). Cancel, rejection and expiry abort the held copy; the
 * source never stops serving until a release.
 *
 * <p>Every transition is stored before it is acted on; {@link #recover()} picks up after a restart.
 */
public final class HandoffService {

    private static final Logger LOG = Logger.getLogger(HandoffService.class.getName());
    public static final int MAX_CANDIDATES = 32;
    /** How often an executing handoff looks at its migration. */
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(20);
    /** How often a memory shadow's held copy is looked at while the handover is awaited. */
    private static final Duration MEMORY_WATCH_INTERVAL = Duration.ofMillis(200);
    /** A memory shadow whose hold was lost (idle guest) is rebuilt after this pause. */
    private static final Duration HOLD_RESTART_DELAY = Duration.ofSeconds(1);

    private final HandoffRepository handoffs;
    private final MigrationService migrations;
    private final ComputeRepository computes;
    private final HostRegistry hosts;
    private final BootImageProvider images;
    private final ShadowPolicy policy;
    private final Executor background;
    private final NotificationPublisher notifications;
    private final Clock clock;
    private final Map<String, Object> vmLocks = new ConcurrentHashMap<>();

    public HandoffService(HandoffRepository handoffs, MigrationService migrations, ComputeRepository computes,
            HostRegistry hosts, BootImageProvider images, ShadowPolicy policy, Executor background,
            NotificationPublisher notifications, Clock clock) {
        this.notifications = notifications;
        this.handoffs = handoffs;
        this.migrations = migrations;
        this.computes = computes;
        this.hosts = hosts;
        this.images = images;
        this.policy = policy;
        this.background = background;
        this.clock = clock;
    }

    // --- prediction ------------------------------------------------------------------------------

    /** Creates the VM's handoff, or revises its open one. */
    public Handoff predict(HandoverPrediction prediction) {
        VirtualCompute vm = vmOf(prediction.computeId(), prediction.ueId());
        String sourceCell = prediction.sourceCellId() == null ? null
                : Identifiers.requireCellId("sourceCellId", prediction.sourceCellId());
        Map<String, Double> candidates = candidates(prediction.candidates());
        Duration ttl = ttl(prediction.ttlSeconds());
        if (!vm.mobility().relocatable()) {
            throw new ConflictException("VM " + vm.computeId() + " is not relocatable (mobility.relocatable=false)");
        }
        synchronized (lock(vm.computeId())) {
            Instant now = clock.instant();
            Optional<Handoff> current = handoffs.list(vm.computeId()).stream().filter(h -> !h.state().isFinal())
                    .findFirst();
            if (current.isPresent() && !current.get().state().isOpen()) {
                throw new ConflictException("VM " + vm.computeId() + " is moving already (handoff "
                        + current.get().handoffId() + " is " + current.get().state() + ")");
            }
            Map<String, Shadow> wanted = wantedShadows(vm, candidates, now);
            Handoff handoff;
            String event;
            if (current.isEmpty()) {
                handoff = new Handoff(UUID.randomUUID().toString(), vm.computeId(), prediction.ueId(), vm.hostId(),
                        sourceCell, HandoffState.PREPARING, List.of(), null, null, null,
                        prediction.predictedHandoverTime(), now.plus(ttl), MigrationStatistics.NONE, null, List.of(),
                        now, now);
                event = "predicted";
            } else {
                handoff = current.get().revised(sourceCell, prediction.predictedHandoverTime(), now.plus(ttl));
                event = "revised";
            }
            List<Shadow> shadows = new ArrayList<>();
            List<Shadow> toPrepare = new ArrayList<>();
            List<String> toAbort = new ArrayList<>();
            for (Shadow old : handoff.shadows()) {
                Shadow keep = wanted.remove(old.hostId());
                if (keep != null && old.isLive()) {
                    shadows.add(old.forCandidate(keep.cellIds(), keep.likelihood())); // kept, not restarted
                } else if (old.isLive()) {
                    shadows.add(old.inState(ShadowState.DISCARDED, "no longer a candidate", now));
                    if (old.migrationId() != null) {
                        toAbort.add(old.migrationId());
                    }
                } else {
                    shadows.add(old);
                    if (keep != null) {
                        shadows.remove(old);
                        shadows.add(keep);
                        toPrepare.add(keep);
                    }
                }
            }
            shadows.addAll(wanted.values());
            toPrepare.addAll(wanted.values());
            upgradeToMemory(vm, shadows, toPrepare, now);
            HandoffState state = shadows.stream().anyMatch(s -> s.state() == ShadowState.PREPARING)
                    ? HandoffState.PREPARING : HandoffState.PREPARED;
            String detail = "candidates " + candidates + "; shadows on " + shadows.stream().filter(Shadow::isLive)
                    .map(Shadow::hostId).toList() + "; expires " + handoff.expiresAt() + backendNote(vm);
            handoff = handoff.with(state, shadows, event, detail, now);
            if (current.isEmpty()) {
                handoffs.insert(handoff);
            } else {
                handoffs.update(handoff);
            }
            Handoff stored = handoff;
            LOG.info(() -> "Handoff " + stored.handoffId() + " of VM " + vm.computeId() + " " + event + ": " + detail);
            toAbort.forEach(this::abortQuietly);
            for (Shadow shadow : toPrepare) {
                background.execute(() -> prepare(stored.handoffId(), vm, shadow.hostId()));
            }
            return handoff;
        }
    }

    /**
     * Makes sure that, of the live shadows, the most likely one is a memory shadow (if the policy
     * and the VM's backend allow): a new one is created so; a kept image shadow that became the
     * most likely is upgraded (its image is there already). An existing memory shadow is kept as
     * long as its host is still a candidate: restarting a copy in sync would cost more than it gains.
     */
    private void upgradeToMemory(VirtualCompute vm, List<Shadow> shadows, List<Shadow> toPrepare, Instant now) {
        if (!policy.memoryShadows() || shadows.stream().anyMatch(s -> s.isLive() && s.isMemory())
                || !hosts.driver(vm.hostId()).canHoldMigration()) {
            return;
        }
        shadows.stream().filter(Shadow::isLive)
                .max(java.util.Comparator.comparingDouble(Shadow::likelihood)
                        .thenComparing(Shadow::hostId, java.util.Comparator.reverseOrder()))
                .ifPresent(top -> {
                    Shadow memory = top.asMemory(now);
                    shadows.set(shadows.indexOf(top), memory);
                    toPrepare.removeIf(s -> s.hostId().equals(top.hostId()));
                    toPrepare.add(memory);
                });
    }

    /** What the VM's backend cannot do for a handoff, said in the record rather than left to guess. */
    private String backendNote(VirtualCompute vm) {
        if (!policy.memoryShadows() || hosts.driver(vm.hostId()).canHoldMigration()) {
            return "";
        }
        return "; the " + hosts.get(vm.hostId()).driver() + " backend of " + vm.hostId() + " cannot hold a migration"
                + " open: shadows hold the image only, and the execute starts an ordinary live migration";
    }

    /** Builds one shadow: the image into the candidate's cache; for a memory shadow, then the held copy. */
    private void prepare(String handoffId, VirtualCompute vm, String hostId) {
        String error = null;
        try {
            BootImages boot = images.bootImagesFor(vm.vcImageId(), vm.flavour());
            images.ensureOnHost(boot, hostId);
        } catch (RuntimeException e) {
            error = e.getMessage();
        }
        Shadow shadow = liveShadow(handoffId, hostId).orElse(null);
        if (shadow == null) {
            return; // discarded meanwhile
        }
        if (error == null && shadow.isMemory()) {
            prepareMemory(handoffId, vm.computeId(), hostId);
            return;
        }
        shadowReady(handoffId, vm.computeId(), hostId, error, null);
    }

    /**
     * Starts the held copy (once any earlier copy of the VM has ended: an aborted shadow takes a
     * moment to clean up), then follows it: READY once its first pass is done and it is in sync,
     * FAILED (and the handoff with it) if it breaks.
     */
    private void prepareMemory(String handoffId, String computeId, String hostId) {
        Migration held = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (held == null) {
            synchronized (lock(computeId)) {
                Handoff handoff = handoffs.find(handoffId).orElse(null);
                Shadow shadow = handoff == null || !handoff.state().isOpen() ? null
                        : liveShadow(handoffId, hostId).orElse(null);
                if (shadow == null || shadow.state() != ShadowState.PREPARING) {
                    return; // discarded, or the handoff moved on
                }
                VirtualCompute vm = computes.find(computeId).orElse(null);
                if (vm == null) {
                    return; // terminated meanwhile
                }
                try {
                    held = migrations.startHeld(computeId, hostId, vm.mobility().maxDowntimeMs());
                    Instant now = clock.instant();
                    Migration started = held;
                    handoffs.update(handoff.with(handoff.state(), handoff.shadows().stream()
                            .map(s -> s.hostId().equals(hostId) && s.isLive() ? s.heldBy(started.migrationId(), now)
                                    : s).toList(),
                            "shadow-copying", hostId + ": held live migration " + held.migrationId(), now));
                } catch (ConflictException busy) {
                    if (System.nanoTime() > deadline || !busy.getMessage().contains("already being migrated")) {
                        shadowReady(handoffId, computeId, hostId, busy.getMessage(), null);
                        return;
                    }
                } catch (RuntimeException e) {
                    if (computes.find(computeId).map(v -> v.hostId().equals(hostId)).orElse(false)) {
                        // refused because the VM runs there already: an earlier held copy completed
                        // by itself (e.g. while the VIM was down)
                        switchedOverEarly(handoffId, computeId, hostId, "an earlier held copy ended by itself: VM "
                                + computeId + " runs on " + hostId);
                    } else {
                        shadowReady(handoffId, computeId, hostId, e.getMessage(), null);
                    }
                    return;
                }
            }
            if (held == null) {
                sleepQuietly(Duration.ofMillis(100)); // the previous copy of this VM is still ending
                if (Thread.currentThread().isInterrupted()) {
                    return; // the VIM is stopping; the next start picks the shadow up
                }
            }
        }
        followMemoryShadow(handoffId, computeId, hostId, held.migrationId());
    }

    /** Follows a held copy while its handoff is open: in sync, broken, or (rarely) switched over by itself. */
    private void followMemoryShadow(String handoffId, String computeId, String hostId, String migrationId) {
        while (!Thread.currentThread().isInterrupted()) { // interrupted: the VIM is stopping
            Handoff handoff = handoffs.find(handoffId).orElse(null);
            Shadow shadow = handoff == null ? null : handoff.shadows().stream()
                    .filter(s -> s.hostId().equals(hostId) && migrationId.equals(s.migrationId())).findFirst()
                    .orElse(null);
            if (handoff == null || !handoff.state().isOpen() || shadow == null || !shadow.isLive()) {
                return; // executed, cancelled, expired or discarded: others take it from here
            }
            Migration migration = migrations.get(migrationId);
            if (migration.state() == MigrationState.COMPLETED) {
                switchedOverEarly(handoffId, computeId, hostId, "the held copy ended by itself: VM " + computeId
                        + " runs on " + hostId + " (downtime " + migration.statistics().downtimeMs() + " ms)");
                return;
            }
            if (migration.state().isFinal()) {
                if (migration.error() != null && migration.error().startsWith(HoldLostException.PREFIX)) {
                    if (restartMemoryShadow(handoffId, computeId, hostId, migration)) {
                        sleepQuietly(HOLD_RESTART_DELAY);
                        prepareMemory(handoffId, computeId, hostId);
                    }
                } else {
                    memoryShadowFailed(handoffId, computeId, hostId, migration);
                }
                return;
            }
            if (shadow.state() == ShadowState.PREPARING && migration.state() == MigrationState.MIGRATING
                    && migration.statistics().iteration() >= 2) {
                shadowReady(handoffId, computeId, hostId, null, migration.statistics().memoryRemainingBytes());
            }
            sleepQuietly(MEMORY_WATCH_INTERVAL);
        }
    }

    /** The hold was lost on an idle guest (the VM stayed on its source): the shadow is built again. */
    private boolean restartMemoryShadow(String handoffId, String computeId, String hostId, Migration migration) {
        synchronized (lock(computeId)) {
            Handoff handoff = handoffs.find(handoffId).orElse(null);
            if (handoff == null || !handoff.state().isOpen()) {
                return false;
            }
            Instant now = clock.instant();
            List<Shadow> shadows = handoff.shadows().stream().map(s -> s.isLive() && s.hostId().equals(hostId)
                    && migration.migrationId().equals(s.migrationId()) ? s.asMemory(now) : s).toList();
            handoffs.update(handoff.with(HandoffState.PREPARING, shadows, "shadow-restarted", hostId + ": "
                    + migration.error(), now));
            LOG.info(() -> "Handoff " + handoffId + ": memory shadow on " + hostId + " restarted (" + migration.error()
                    + ")");
            return true;
        }
    }

    /** The held copy failed (e.g. the candidate's daemon died): the source serves on, the handoff FAILS. */
    private void memoryShadowFailed(String handoffId, String computeId, String hostId, Migration migration) {
        synchronized (lock(computeId)) {
            Handoff handoff = handoffs.find(handoffId).orElse(null);
            if (handoff == null || !handoff.state().isOpen()) {
                return;
            }
            String cause = "memory shadow on " + hostId + " " + migration.state()
                    + (migration.error() == null ? "" : ": " + migration.error());
            Instant now = clock.instant();
            List<Shadow> shadows = handoff.shadows().stream().map(s -> !s.isLive() ? s
                    : s.hostId().equals(hostId) ? s.inState(ShadowState.FAILED, cause, now)
                    : s.inState(ShadowState.DISCARDED, "the handoff failed", now)).toList();
            handoffs.update(handoff.ended(MigrationStatistics.NONE, cause).with(HandoffState.FAILED, shadows, "failed",
                    cause + "; the VM stays on " + handoff.sourceHostId(), now));
            LOG.warning("Handoff " + handoffId + " FAILED: " + cause + "; VM " + computeId + " serves on from "
                    + handoff.sourceHostId());
        }
    }

    /**
     * QEMU ended the held copy by itself (a guest that wrote nothing for a while): the VM now runs
     * on that candidate. The handoff stays open: an execute there finds the VM in place, an
     * execute elsewhere moves it from there; the timeline says what happened.
     */
    private void switchedOverEarly(String handoffId, String computeId, String hostId, String detail) {
        synchronized (lock(computeId)) {
            Handoff handoff = handoffs.find(handoffId).orElse(null);
            if (handoff == null || !handoff.state().isOpen()) {
                return;
            }
            Instant now = clock.instant();
            List<Shadow> shadows = handoff.shadows().stream().map(s -> s.hostId().equals(hostId) && s.isLive()
                    ? s.inState(ShadowState.PROMOTED, "switched over before the handover", now) : s).toList();
            HandoffState state = shadows.stream().anyMatch(s -> s.state() == ShadowState.PREPARING)
                    ? HandoffState.PREPARING : HandoffState.PREPARED;
            handoffs.update(handoff.with(state, shadows, "switched-over-early", detail, now));
            LOG.warning("Handoff " + handoffId + ": the held copy of VM " + computeId + " switched over to " + hostId
                    + " before the handover (the guest was idle)");
        }
    }

    /** Marks a shadow READY (with its lag, for a memory shadow) or FAILED. */
    private void shadowReady(String handoffId, String computeId, String hostId, String cause, Long lagBytes) {
        synchronized (lock(computeId)) {
            Handoff handoff = handoffs.find(handoffId).orElse(null);
            if (handoff == null) {
                return;
            }
            Instant now = clock.instant();
            List<Shadow> shadows = new ArrayList<>();
            boolean changed = false;
            for (Shadow s : handoff.shadows()) {
                if (s.hostId().equals(hostId) && s.state() == ShadowState.PREPARING) {
                    shadows.add(s.inState(cause == null ? ShadowState.READY : ShadowState.FAILED, cause, now)
                            .withLag(lagBytes));
                    changed = true;
                } else {
                    shadows.add(s);
                }
            }
            if (!changed) {
                return; // discarded, or the handoff moved on meanwhile
            }
            HandoffState state = handoff.state();
            if (state == HandoffState.PREPARING && shadows.stream().noneMatch(s -> s.state() == ShadowState.PREPARING)) {
                state = HandoffState.PREPARED;
            }
            String event = cause != null ? "shadow-failed" : lagBytes != null ? "in-sync" : "shadow-ready";
            Handoff updated = handoff.with(state, shadows, event, hostId + (cause != null ? ": " + cause
                    : lagBytes != null ? ": memory in sync, " + lagBytes + " bytes behind" : ""), now);
            if (state == HandoffState.PREPARED && handoff.state() == HandoffState.PREPARING) {
                updated = updated.with(state, shadows, "prepared", null, now);
            }
            handoffs.update(updated);
        }
    }

    private Optional<Shadow> liveShadow(String handoffId, String hostId) {
        return handoffs.find(handoffId).flatMap(h -> h.shadows().stream()
                .filter(s -> s.hostId().equals(hostId) && s.isLive()).findFirst());
    }

    // --- execute, cancel, expire -----------------------------------------------------------------

    /** The handover happened to this cell: the VM moves to the host serving it (202: see the timeline). */
    public Handoff execute(String handoffId, String targetCellId) {
        String cell = Identifiers.requireCellId("targetCellId", targetCellId);
        Handoff handoff = find(handoffId);
        synchronized (lock(handoff.computeId())) {
            handoff = find(handoffId);
            if (!handoff.state().isOpen()) {
                throw new ConflictException("Handoff " + handoffId + " is " + handoff.state() + "; it executes once");
            }
            EdgeHost target = hostServing(cell).orElseThrow(() -> new InvalidInputException("targetCellId",
                    "no edge host serves cell " + cell));
            Instant now = clock.instant();
            VirtualCompute vm = computes.find(handoff.computeId())
                    .orElseThrow(() -> new NotFoundException("virtual compute", find(handoffId).computeId()));
            Shadow memory = handoff.shadows().stream().filter(s -> s.isLive() && s.isMemory()).findFirst().orElse(null);
            String held = memory == null ? null : memory.migrationId();
            boolean release = held != null && memory.hostId().equals(target.hostId());
            String how = release ? "memory shadow: the held copy is released"
                    : handoff.shadows().stream().anyMatch(s -> s.hostId().equals(target.hostId())
                            && s.state() == ShadowState.READY) ? "image shadow: a live migration"
                    : "not a prepared candidate: an ordinary live migration";
            List<Shadow> shadows = handoff.shadows().stream().map(s -> !s.isLive() ? s
                    : s.hostId().equals(target.hostId()) ? s.inState(ShadowState.PROMOTED, null, now)
                    : s.inState(ShadowState.DISCARDED, "the handover went to " + cell, now)).toList();
            if (target.hostId().equals(vm.hostId())) {
                Handoff done = handoff.executing(cell, target.hostId(), null).with(HandoffState.COMPLETED, shadows,
                        "executed", "cell " + cell + " is served by the VM's own host " + target.hostId()
                                + ": nothing moves", now);
                handoffs.update(done);
                if (held != null) {
                    abortQuietly(held);
                }
                return done;
            }
            Handoff executing = handoff.executing(cell, target.hostId(), release ? held : null).with(
                    HandoffState.EXECUTING, shadows, "executed", "to cell " + cell + " on " + target.hostId() + " ("
                            + how + ")", now);
            handoffs.update(executing);
            if (release) {
                try {
                    migrations.release(held);
                } catch (RuntimeException e) {
                    // it ended just now (failed, or switched over by itself): the watcher records which
                    LOG.warning("Handoff " + handoffId + ": release of " + held + " refused: " + e.getMessage());
                }
                Handoff released = executing.with(HandoffState.EXECUTING, shadows, "released", held, clock.instant());
                handoffs.update(released);
                announce(released, vm, MobilityProcedure.TRIGGERED, null);
                background.execute(() -> watch(handoffId));
                return released;
            }
            announce(executing, vm, MobilityProcedure.TRIGGERED, null);
            if (held != null) {
                // the held copy goes to another host: end it first, then move the VM where the user went
                abortQuietly(held);
                background.execute(() -> moveAfter(handoffId, held, target.hostId()));
                return executing;
            }
            return startMove(executing, vm, target.hostId());
        }
    }

    /** Starts the ordinary live migration of an executing handoff (called under the VM's lock). */
    private Handoff startMove(Handoff executing, VirtualCompute vm, String targetHostId) {
        Migration migration;
        try {
            migration = migrations.start(vm.computeId(), new MigrationRequest(targetHostId,
                    MigrationType.LIVE_MIGRATION.name(), vm.mobility().maxDowntimeMs(), null));
        } catch (RuntimeException e) {
            Handoff failed = executing.ended(MigrationStatistics.NONE, e.getMessage())
                    .with(HandoffState.FAILED, executing.shadows(), "failed", e.getMessage(), clock.instant());
            handoffs.update(failed);
            LOG.warning("Handoff " + executing.handoffId() + " FAILED: " + e.getMessage());
            computes.find(vm.computeId()).ifPresent(v -> announce(failed, v, MobilityProcedure.FAILED, e.getMessage()));
            return failed;
        }
        Handoff moving = executing.executing(executing.targetCellId(), targetHostId, migration.migrationId())
                .with(HandoffState.EXECUTING, executing.shadows(), "migration-started", migration.migrationId(),
                        clock.instant());
        handoffs.update(moving);
        background.execute(() -> watch(executing.handoffId()));
        return moving;
    }

    /** After an execute away from the memory shadow: waits for the aborted held copy to end, then moves the VM. */
    private void moveAfter(String handoffId, String heldMigrationId, String targetHostId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!migrations.get(heldMigrationId).state().isFinal() && System.nanoTime() < deadline) {
            sleepQuietly(WATCH_INTERVAL);
        }
        Handoff handoff = find(handoffId);
        synchronized (lock(handoff.computeId())) {
            handoff = find(handoffId);
            if (handoff.state() != HandoffState.EXECUTING || handoff.migrationId() != null) {
                return; // cancelled meanwhile
            }
            VirtualCompute vm = computes.find(handoff.computeId()).orElse(null);
            if (vm == null) {
                return;
            }
            if (vm.hostId().equals(targetHostId)) {
                handoffs.update(handoff.with(HandoffState.COMPLETED, handoff.shadows(), "live-on-target",
                        "the VM already runs on " + targetHostId, clock.instant()));
                return;
            }
            startMove(handoff, vm, targetHostId);
        }
    }

    /** Cancels an open handoff (shadows discarded), or aborts one that is executing (VM stays on its source). */
    public Handoff cancel(String handoffId, String reason) {
        Handoff handoff = find(handoffId);
        synchronized (lock(handoff.computeId())) {
            handoff = find(handoffId);
            if (handoff.state().isFinal()) {
                throw new ConflictException("Handoff " + handoffId + " has already ended (" + handoff.state() + ")");
            }
            if (handoff.state() == HandoffState.EXECUTING && handoff.migrationId() != null) {
                migrations.abort(handoff.migrationId()); // the watcher records the outcome
                return handoff;
            }
            Handoff cancelled = discardAll(handoff, HandoffState.CANCELLED, "cancelled", reason);
            LOG.info(() -> "Handoff " + handoffId + " CANCELLED" + (reason == null ? "" : ": " + reason));
            return cancelled;
        }
    }

    /** Ends every open handoff whose time-to-live ran out. */
    public void expireDue() {
        Instant now = clock.instant();
        for (Handoff handoff : handoffs.unfinished()) {
            if (handoff.state().isOpen() && handoff.expiresAt().isBefore(now)) {
                synchronized (lock(handoff.computeId())) {
                    handoffs.find(handoff.handoffId()).filter(h -> h.state().isOpen()).ifPresent(h -> {
                        discardAll(h, HandoffState.EXPIRED, "expired", "no handover within the prediction's TTL");
                        LOG.info(() -> "Handoff " + h.handoffId() + " EXPIRED: no handover came");
                    });
                }
            }
        }
    }

    /** After a restart: follows executing handoffs' migrations again and resumes shadow preparation. */
    public void recover() {
        for (Handoff handoff : handoffs.unfinished()) {
            if (handoff.state() == HandoffState.EXECUTING && handoff.migrationId() != null) {
                background.execute(() -> watch(handoff.handoffId()));
            } else if (handoff.state().isOpen()) {
                // A held copy ended with the VIM that held it (the migration recovery aborts it):
                // its shadow is built again; image shadows still being copied are resumed.
                Instant now = clock.instant();
                List<Shadow> shadows = handoff.shadows().stream().map(s -> s.isLive() && s.isMemory()
                        ? s.asMemory(now) : s).toList();
                HandoffState state = shadows.stream().anyMatch(s -> s.state() == ShadowState.PREPARING)
                        ? HandoffState.PREPARING : handoff.state();
                Handoff restarted = shadows.equals(handoff.shadows()) ? handoff
                        : handoff.with(state, shadows, "shadow-restarted", "the VIM restarted", now);
                if (restarted != handoff) {
                    handoffs.update(restarted);
                }
                computes.find(handoff.computeId()).ifPresent(vm -> restarted.shadows().stream()
                        .filter(s -> s.state() == ShadowState.PREPARING)
                        .forEach(s -> background.execute(() -> prepare(restarted.handoffId(), vm, s.hostId()))));
            } else {
                handoffs.update(handoff.ended(MigrationStatistics.NONE, "the VIM restarted before the move began")
                        .with(HandoffState.FAILED, handoff.shadows(), "failed", "the VIM restarted", clock.instant()));
            }
        }
    }

    /** The handoff; a memory shadow's lag is read from its held copy as it is now. */
    public Handoff get(String handoffId) {
        Handoff handoff = find(handoffId);
        if (handoff.shadows().stream().noneMatch(s -> s.isLive() && s.migrationId() != null)) {
            return handoff;
        }
        List<Shadow> shadows = handoff.shadows().stream().map(s -> {
            if (!s.isLive() || s.migrationId() == null) {
                return s;
            }
            Migration held = migrations.get(s.migrationId());
            return held.state() == MigrationState.MIGRATING && held.statistics().iteration() > 0
                    ? s.withLag(held.statistics().memoryRemainingBytes()) : s;
        }).toList();
        return handoff.with(handoff.state(), shadows, null, null, handoff.updatedAt());
    }

    public List<Handoff> list(String computeId) {
        return handoffs.list(computeId);
    }

    /**
     * Before the VM is terminated: its open handoff is cancelled and the held copy of its memory
     * shadow (which keeps the VM MIGRATING) is awaited to end, for at most {@code patience}. A
     * handoff already executing is left to finish: the terminate then meets the migration's 409.
     */
    public void endShadowsOf(String computeId, Duration patience) {
        Optional<Handoff> open = unfinishedFor(computeId).filter(h -> h.state().isOpen());
        if (open.isEmpty()) {
            return;
        }
        cancel(open.get().handoffId(), "the VM is being terminated");
        long deadline = System.nanoTime() + patience.toNanos();
        while (migrations.list(computeId).stream().anyMatch(m -> !m.state().isFinal())
                && System.nanoTime() < deadline) {
            sleepQuietly(WATCH_INTERVAL);
        }
    }

    /** The VM's handoff that has not ended, if any (for radio events that name only the user). */
    public Optional<Handoff> unfinishedFor(String computeId) {
        return handoffs.list(computeId).stream().filter(h -> !h.state().isFinal()).findFirst();
    }

    /** The VM a radio event's user id belongs to. */
    public VirtualCompute vmOfUser(String ueId) {
        return vmOf(null, ueId);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** Follows an executing handoff's migration to its end. */
    private void watch(String handoffId) {
        while (true) {
            Handoff handoff = find(handoffId);
            if (handoff.state() != HandoffState.EXECUTING) {
                return;
            }
            Migration migration = migrations.get(handoff.migrationId());
            if (migration.state().isFinal()) {
                synchronized (lock(handoff.computeId())) {
                    Instant at = migration.liveAt() != null ? migration.liveAt()
                            : migration.finishedAt() != null ? migration.finishedAt() : clock.instant();
                    MigrationStatistics s = migration.statistics();
                    Handoff ended;
                    if (migration.state() == MigrationState.COMPLETED) {
                        ended = handoff.ended(s, null)
                                .with(HandoffState.EXECUTING, handoff.shadows(), "live-on-target",
                                        handoff.targetHostId() + ": " + s.memoryProcessedBytes() + " bytes moved, downtime "
                                                + s.downtimeMs() + " ms", at)
                                .with(HandoffState.COMPLETED, handoff.shadows(), "source-released",
                                        handoff.sourceHostId(), clock.instant());
                    } else {
                        HandoffState end = migration.state() == MigrationState.CANCELLED ? HandoffState.CANCELLED
                                : HandoffState.FAILED;
                        List<Shadow> shadows = handoff.shadows().stream().map(sh -> sh.state() == ShadowState.PROMOTED
                                ? sh.inState(ShadowState.DISCARDED, "the move did not happen", at) : sh).toList();
                        ended = handoff.ended(s, migration.error()).with(end, shadows, end.name().toLowerCase(),
                                "the VM stays on " + handoff.sourceHostId()
                                        + (migration.error() == null ? "" : ": " + migration.error()), at);
                    }
                    handoffs.update(ended);
                    computes.find(handoff.computeId()).ifPresent(vm -> announce(handoff, vm,
                            migration.state() == MigrationState.COMPLETED ? MobilityProcedure.COMPLETED
                                    : MobilityProcedure.FAILED, migration.error()));
                    Handoff done = ended;
                    LOG.info(() -> "Handoff " + handoffId + " " + done.state() + " (migration "
                            + migration.migrationId() + " " + migration.state() + ")");
                }
                return;
            }
            try {
                Thread.sleep(WATCH_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** MEC 021 notification to the platform manager's subscribers. */
    private void announce(Handoff handoff, VirtualCompute vm, String status, String reason) {
        MobilityProcedure procedure = new MobilityProcedure(status, vm.mobility().ueIds().stream()
                .map(MobilityProcedure.AssociateId::of).toList(), vm.computeId(), handoff.handoffId(),
                handoff.sourceHostId(), handoff.targetHostId(), handoff.targetCellId(), reason);
        notifications.publish(new VimNotification(VimNotification.MOBILITY_PROCEDURE, clock.instant(), vm.computeId(),
                procedure));
    }

    private Handoff discardAll(Handoff handoff, HandoffState end, String event, String detail) {
        Instant now = clock.instant();
        List<Shadow> shadows = handoff.shadows().stream()
                .map(s -> s.isLive() ? s.inState(ShadowState.DISCARDED, event, now) : s).toList();
        Handoff ended = handoff.with(end, shadows, event, detail, now);
        handoffs.update(ended);
        handoff.shadows().stream().filter(s -> s.isLive() && s.migrationId() != null)
                .forEach(s -> abortQuietly(s.migrationId()));
        return ended;
    }

    /** Candidate cells with likelihoods (equal shares where none is given), validated. */
    private static Map<String, Double> candidates(List<HandoverPrediction.Candidate> candidates) {
        if (candidates == null || candidates.isEmpty()) {
            throw new InvalidInputException("candidates", "name at least one candidate cell");
        }
        if (candidates.size() > MAX_CANDIDATES) {
            throw new InvalidInputException("candidates", "at most " + MAX_CANDIDATES);
        }
        Map<String, Double> result = new LinkedHashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            HandoverPrediction.Candidate c = candidates.get(i);
            if (c == null) {
                throw new InvalidInputException("candidates[" + i + "]", "must not be null");
            }
            String cell = Identifiers.requireCellId("candidates[" + i + "].cellId", c.cellId());
            double likelihood = c.likelihood() == null ? 1.0 / candidates.size() : c.likelihood();
            if (Double.isNaN(likelihood) || likelihood < 0 || likelihood > 1) {
                throw new InvalidInputException("candidates[" + i + "].likelihood", "must be within 0..1");
            }
            result.merge(cell, likelihood, Math::max);
        }
        return result;
    }

    /** The hosts that get a shadow ({@link ShadowSelection}), as new PREPARING shadows by host id. */
    private Map<String, Shadow> wantedShadows(VirtualCompute vm, Map<String, Double> candidates, Instant now) {
        String driver = hosts.get(vm.hostId()).driver();
        Map<String, Shadow> wanted = new LinkedHashMap<>();
        for (ShadowSelection.Pick pick : ShadowSelection.select(candidates, cell -> hostServing(cell)
                .filter(host -> host.driver().equals(driver)).map(EdgeHost::hostId), vm.hostId(), policy)) {
            wanted.put(pick.hostId(), Shadow.preparing(pick.hostId(), pick.cellIds(), pick.likelihood(), ShadowKind.IMAGE,
                    now));
        }
        return wanted;
    }

    private Optional<EdgeHost> hostServing(String cellId) {
        return hosts.list().stream().filter(h -> h.cells().contains(cellId)).findFirst();
    }

    private Duration ttl(Long seconds) {
        if (seconds == null) {
            return policy.defaultTtl();
        }
        if (seconds < 1 || seconds > policy.maxTtl().toSeconds()) {
            throw new InvalidInputException("ttlSeconds", "must be between 1 and " + policy.maxTtl().toSeconds());
        }
        return Duration.ofSeconds(seconds);
    }

    private VirtualCompute vmOf(String computeId, String ueId) {
        if (computeId != null) {
            return computes.find(computeId).orElseThrow(() -> new NotFoundException("virtual compute", computeId));
        }
        if (ueId == null) {
            throw new InvalidInputException("computeId", "name the VM (computeId) or its user (ueId)");
        }
        List<VirtualCompute> vms = computes.list(null, null).stream()
                .filter(vm -> vm.mobility().ueIds().contains(ueId)).toList();
        if (vms.isEmpty()) {
            throw NotFoundException.withMessage("No VM follows user '" + ueId + "' (mobility.ueIds)");
        }
        if (vms.size() > 1) {
            throw new ConflictException("Several VMs follow user '" + ueId + "': name one by computeId");
        }
        return vms.get(0);
    }

    /** Aborts a held copy that is no longer wanted; one that already ended needs nothing. */
    private void abortQuietly(String migrationId) {
        try {
            migrations.abort(migrationId);
        } catch (ConflictException | NotFoundException ended) {
            LOG.fine(() -> "Held copy " + migrationId + " already ended");
        } catch (RuntimeException e) {
            LOG.warning("Could not abort held copy " + migrationId + ": " + e.getMessage());
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Handoff find(String handoffId) {
        return handoffs.find(handoffId).orElseThrow(() -> new NotFoundException("handoff", handoffId));
    }

    private Object lock(String computeId) {
        return vmLocks.computeIfAbsent(computeId, id -> new Object());
    }
}
