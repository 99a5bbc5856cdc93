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
 * <p>Shadows are of kind {@link ShadowKind#IMAGE} for now: the VM's image is in the candidate's
 * cache, so the move at execute copies only the VM's own disk blocks and memory, as a live
 * migration under the VM's downtime limit. A memory pre-copy held in sync on the most likely
 * candidate (the switch-over within the radio handover's pause) is the next step.
 *
 * <p>Every transition is stored before it is acted on; {@link #recover()} picks up after a restart.
 */
public final class HandoffService {

    private static final Logger LOG = Logger.getLogger(HandoffService.class.getName());
    public static final int MAX_CANDIDATES = 32;
    /** How often an executing handoff looks at its migration. */
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(20);

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
            for (Shadow old : handoff.shadows()) {
                Shadow keep = wanted.remove(old.hostId());
                if (keep != null && old.isLive()) {
                    shadows.add(old.forCandidate(keep.cellIds(), keep.likelihood())); // kept, not restarted
                } else if (old.isLive()) {
                    shadows.add(old.inState(ShadowState.DISCARDED, "no longer a candidate", now));
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
            HandoffState state = shadows.stream().anyMatch(s -> s.state() == ShadowState.PREPARING)
                    ? HandoffState.PREPARING : HandoffState.PREPARED;
            String detail = "candidates " + candidates + "; shadows on " + shadows.stream().filter(Shadow::isLive)
                    .map(Shadow::hostId).toList() + "; expires " + handoff.expiresAt();
            handoff = handoff.with(state, shadows, event, detail, now);
            if (current.isEmpty()) {
                handoffs.insert(handoff);
            } else {
                handoffs.update(handoff);
            }
            Handoff stored = handoff;
            LOG.info(() -> "Handoff " + stored.handoffId() + " of VM " + vm.computeId() + " " + event + ": " + detail);
            for (Shadow shadow : toPrepare) {
                background.execute(() -> prepare(stored.handoffId(), vm, shadow.hostId()));
            }
            return handoff;
        }
    }

    /** Copies the VM's image to the candidate's cache, then marks the shadow READY (or FAILED). */
    private void prepare(String handoffId, VirtualCompute vm, String hostId) {
        String error = null;
        try {
            BootImages boot = images.bootImagesFor(vm.vcImageId(), vm.flavour());
            images.ensureOnHost(boot, hostId);
        } catch (RuntimeException e) {
            error = e.getMessage();
        }
        String cause = error;
        synchronized (lock(vm.computeId())) {
            Handoff handoff = handoffs.find(handoffId).orElse(null);
            if (handoff == null) {
                return;
            }
            Instant now = clock.instant();
            List<Shadow> shadows = new ArrayList<>();
            boolean changed = false;
            for (Shadow s : handoff.shadows()) {
                if (s.hostId().equals(hostId) && s.state() == ShadowState.PREPARING) {
                    shadows.add(s.inState(cause == null ? ShadowState.READY : ShadowState.FAILED, cause, now));
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
            Handoff updated = handoff.with(state, shadows, cause == null ? "shadow-ready" : "shadow-failed",
                    hostId + (cause == null ? "" : ": " + cause), now);
            if (state == HandoffState.PREPARED && handoff.state() == HandoffState.PREPARING) {
                updated = updated.with(state, shadows, "prepared", null, now);
            }
            handoffs.update(updated);
        }
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
            String candidate = handoff.shadows().stream()
                    .anyMatch(s -> s.hostId().equals(target.hostId()) && s.state() == ShadowState.READY)
                    ? "prepared candidate" : "not a prepared candidate: an ordinary live migration";
            List<Shadow> shadows = handoff.shadows().stream().map(s -> !s.isLive() ? s
                    : s.hostId().equals(target.hostId()) ? s.inState(ShadowState.PROMOTED, null, now)
                    : s.inState(ShadowState.DISCARDED, "the handover went to " + cell, now)).toList();
            if (target.hostId().equals(vm.hostId())) {
                Handoff done = handoff.executing(cell, target.hostId(), null).with(HandoffState.COMPLETED, shadows,
                        "executed", "cell " + cell + " is served by the VM's own host " + target.hostId()
                                + ": nothing moves", now);
                handoffs.update(done);
                return done;
            }
            Handoff executing = handoff.executing(cell, target.hostId(), null).with(HandoffState.EXECUTING, shadows,
                    "executed", "to cell " + cell + " on " + target.hostId() + " (" + candidate + ")", now);
            handoffs.update(executing);
            Migration migration;
            try {
                migration = migrations.start(vm.computeId(), new MigrationRequest(target.hostId(),
                        MigrationType.LIVE_MIGRATION.name(), vm.mobility().maxDowntimeMs(), null));
            } catch (RuntimeException e) {
                Handoff failed = executing.ended(MigrationStatistics.NONE, e.getMessage())
                        .with(HandoffState.FAILED, shadows, "failed", e.getMessage(), clock.instant());
                handoffs.update(failed);
                LOG.warning("Handoff " + handoffId + " FAILED: " + e.getMessage());
                return failed;
            }
            Handoff moving = executing.executing(cell, target.hostId(), migration.migrationId())
                    .with(HandoffState.EXECUTING, shadows, "migration-started", migration.migrationId(), clock.instant());
            handoffs.update(moving);
            announce(moving, vm, MobilityProcedure.TRIGGERED, null);
            background.execute(() -> watch(handoffId));
            return moving;
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
            if (handoff.state() == HandoffState.EXECUTING) {
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
            } else if (handoff.state() == HandoffState.EXECUTING) {
                Handoff failed = handoff.ended(MigrationStatistics.NONE, "the VIM restarted before the move began")
                        .with(HandoffState.FAILED, handoff.shadows(), "failed", "the VIM restarted", clock.instant());
                handoffs.update(failed);
            } else {
                computes.find(handoff.computeId()).ifPresent(vm -> handoff.shadows().stream()
                        .filter(s -> s.state() == ShadowState.PREPARING)
                        .forEach(s -> background.execute(() -> prepare(handoff.handoffId(), vm, s.hostId()))));
            }
        }
    }

    public Handoff get(String handoffId) {
        return find(handoffId);
    }

    public List<Handoff> list(String computeId) {
        return handoffs.list(computeId);
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
                    Instant at = migration.finishedAt() == null ? clock.instant() : migration.finishedAt();
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
            wanted.put(pick.hostId(), new Shadow(pick.hostId(), pick.cellIds(), pick.likelihood(), ShadowKind.IMAGE,
                    ShadowState.PREPARING, null, now));
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

    private Handoff find(String handoffId) {
        return handoffs.find(handoffId).orElseThrow(() -> new NotFoundException("handoff", handoffId));
    }

    private Object lock(String computeId) {
        return vmLocks.computeIfAbsent(computeId, id -> new Object());
    }
}
