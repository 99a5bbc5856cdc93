package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.edgevim.core.capacity.CapacityPolicy;
import org.edgevim.core.driver.ComputeDriver;
import org.edgevim.core.driver.ComputeInstance;
import org.edgevim.core.driver.ComputeSpec;
import org.edgevim.core.driver.HostImageCache;
import org.edgevim.core.driver.HostResources;
import org.edgevim.core.driver.MigrationOptions;
import org.edgevim.core.driver.MigrationProgress;
import org.edgevim.core.driver.MigrationTarget;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.error.VimException;
import org.edgevim.core.image.ImageRef;
import org.edgevim.core.model.ComputeOperation;
import org.edgevim.core.model.OperationalState;
import org.edgevim.core.model.TerminationType;

/**
 * {@link ComputeDriver} for one compute host of an OpenStack cloud. A VM is a Nova server named by
 * its computeId, created on this host ({@code host}, Nova 2.74) from the VIM image's Glance image;
 * the driver sees only servers that carry the VIM's marker and run on this host.
 *
 * <p>What Nova cannot do, the driver says so rather than pretend: the target-side steps of the
 * libvirt flow ({@link #prepareMigrationTarget}) are not needed (Nova prepares the target itself);
 * an offline migration of a paused-from-boot VM ({@link #startPaused}) is refused; per-migration
 * downtime and bandwidth limits are Nova's configuration, not the request's.
 */
public final class OpenStackComputeDriver implements ComputeDriver {

    private static final Logger LOG = Logger.getLogger(OpenStackComputeDriver.class.getName());
    /** Metadata the VIM keeps on its servers, beside the caller's. */
    static final String MARK_COMPUTE_ID = "vim:compute-id";
    static final String MARK_NAME = "vim:compute-name";
    static final String MARK_IMAGE = "vim:image-id";
    /** Nova's limits on server metadata. */
    private static final int NOVA_METADATA_LENGTH = 255;
    private static final Pattern COMPUTE_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Duration CAPACITY_READING_AGE = Duration.ofSeconds(5);

    private final String hostId;
    private final HostUri uri;
    private final CloudHttp http;
    private final Nova nova;
    private final Glance glance;
    private final Placement placement;
    private final GlanceImageCache images;
    private final Flavors flavors;
    private volatile PlacementCapacity.Reading lastReading;

    OpenStackComputeDriver(String hostId, HostUri uri, Cloud cloud) {
        this.hostId = hostId;
        this.uri = uri;
        this.http = cloud.forHost(hostId);
        this.nova = new Nova(http);
        this.glance = new Glance(http);
        this.placement = new Placement(http);
        this.images = new GlanceImageCache(glance, http);
        this.flavors = new Flavors(nova, http);
    }

    @Override
    public String hostId() {
        return hostId;
    }

    @Override
    public HostImageCache images() {
        return images;
    }

    /** Keystone answers, and Nova's compute service on this host is up and enabled. */
    @Override
    public void probe() {
        List<JsonNode> services;
        try {
            services = nova.computeServices(uri.computeHost());
        } catch (HostUnavailableException e) {
            throw e;
        } catch (VimException e) { // credentials refused, no compute endpoint, ...: unusable all the same
            throw new HostUnavailableException(hostId, e.getMessage(), e);
        }
        if (services.isEmpty()) {
            throw new HostUnavailableException(hostId, "cloud " + uri.cloud() + " has no nova-compute service on host '"
                    + uri.computeHost() + "'", null);
        }
        JsonNode service = services.get(0);
        if (!"up".equals(service.path("state").asText())) {
            throw new HostUnavailableException(hostId, "nova-compute on " + uri.computeHost() + " is "
                    + service.path("state").asText() + " in cloud " + uri.cloud(), null);
        }
        if (!"enabled".equals(service.path("status").asText())) {
            throw new HostUnavailableException(hostId, "nova-compute on " + uri.computeHost() + " is disabled in cloud "
                    + uri.cloud() + ": " + service.path("disabled_reason").asText("no reason given"), null);
        }
    }

    // --- VMs ------------------------------------------------------------------------------------

    @Override
    public ComputeInstance allocate(ComputeSpec spec) {
        String id = requireComputeId(spec.computeId());
        Map<String, String> metadata = serverMetadata(id, spec.computeName(), spec.imageId(), spec.metadata());
        JsonNode disk = glanceImage(spec.boot().disk());
        linkKernel(disk, spec);
        ObjectNode server = Json.object().put("name", id).put("imageRef", disk.path("id").asText())
                .put("flavorRef", flavors.idFor(spec.flavour())).put("host", uri.computeHost());
        if (http.settings().availabilityZone() != null) {
            server.put("availability_zone", http.settings().availabilityZone());
        }
        String network = http.settings().network();
        if (network.equals("none") || network.equals("auto")) {
            server.put("networks", network);
        } else {
            server.putArray("networks").addObject().put("uuid", network);
        }
        ObjectNode md = server.putObject("metadata");
        metadata.forEach(md::put);

        String serverId = nova.createServer(server);
        http.cloud().serverIds.put(id, serverId);
        LOG.info(() -> "VM " + id + " is Nova server " + serverId + " on " + uri);
        try {
            Server built = await(id, serverId, s -> !"BUILD".equals(s.status()), http.settings().buildTimeout(), "build");
            if (!"ACTIVE".equals(built.status())) {
                throw new BackendException("Nova could not build VM " + id + " on " + uri.computeHost() + ": "
                        + built.backendState() + (built.fault() == null ? "" : ", fault: " + built.fault()), null);
            }
            return instance(id, built);
        } catch (RuntimeException e) {
            LOG.warning("Allocation of " + id + " on " + hostId + " failed (" + e.getMessage() + "); deleting server "
                    + serverId);
            try {
                nova.delete(serverId);
            } catch (RuntimeException cleanup) {
                LOG.severe("Could not delete server " + serverId + " of failed allocation " + id + ": "
                        + cleanup.getMessage());
            }
            http.cloud().serverIds.remove(id);
            throw e;
        }
    }

    @Override
    public Optional<ComputeInstance> find(String computeId) {
        return server(computeId).filter(this::onThisHost).map(s -> instance(computeId, s));
    }

    @Override
    public List<ComputeInstance> list() {
        return nova.list("host", uri.computeHost()).stream()
                .filter(s -> isVimServer(s) && onThisHost(s))
                .map(s -> instance(s.name(), s)).toList();
    }

    @Override
    public void updateMetadata(String computeId, Map<String, String> metadata) {
        Server server = requireHere(computeId);
        nova.replaceMetadata(server.id(), serverMetadata(computeId, server.metadata().getOrDefault(MARK_NAME, ""),
                server.metadata().getOrDefault(MARK_IMAGE, ""), metadata));
    }

    @Override
    public OperationalState operate(String computeId, ComputeOperation operation, Duration gracefulTimeout) {
        Server server = requireHere(computeId);
        // Nova's os-stop is itself graceful (its shutdown_timeout, then power off); REBOOT SOFT falls
        // back to HARD on its own. The VIM's graceful timeout widens the wait, it cannot shorten Nova's.
        switch (operation) {
            case START -> nova.action(server.id(), "os-start", null);
            case STOP -> nova.action(server.id(), "os-stop", null);
            case PAUSE -> nova.action(server.id(), "pause", null);
            case UNPAUSE -> nova.action(server.id(), "unpause", null);
            case REBOOT -> nova.action(server.id(), "reboot", Json.object().put("type", "SOFT"));
        }
        OperationalState wanted = operation.resultingState();
        Server done = await(computeId, server.id(), s -> s.settled() || NovaStates.of(s) == OperationalState.CRASHED,
                http.settings().operationTimeout().plus(gracefulTimeout), operation.name());
        OperationalState reached = NovaStates.of(done);
        if (reached != wanted) {
            throw new BackendException("VM " + computeId + " on " + uri.computeHost() + " is " + reached + " ("
                    + done.backendState() + (done.fault() == null ? "" : ", fault: " + done.fault()) + ") after "
                    + operation + "; expected " + wanted, null);
        }
        return reached;
    }

    @Override
    public void terminate(String computeId, TerminationType type, Duration gracefulTimeout) {
        Optional<Server> found = server(computeId).filter(this::onThisHost);
        if (found.isEmpty()) {
            return; // already gone: terminate is idempotent
        }
        Server server = found.get();
        OperationalState state = NovaStates.of(server);
        if (type == TerminationType.GRACEFUL && !gracefulTimeout.isZero()
                && (state == OperationalState.RUNNING || state == OperationalState.PAUSED)) {
            try {
                nova.action(server.id(), "os-stop", null);
                await(computeId, server.id(), s -> "SHUTOFF".equals(s.status()) && s.settled(), gracefulTimeout,
                        "graceful shutdown");
            } catch (NotFoundException gone) {
                return;
            } catch (VimException e) {
                LOG.warning("VM " + computeId + " did not shut down gracefully (" + e.getMessage() + "); deleting it");
            }
        }
        nova.delete(server.id());
        try {
            await(computeId, server.id(), s -> false, http.settings().operationTimeout(), "delete");
        } catch (NotFoundException gone) {
            http.cloud().serverIds.remove(computeId);
            LOG.info(() -> "VM " + computeId + " (server " + server.id() + ") deleted from " + uri);
        }
    }

    // --- live migration -------------------------------------------------------------------------

    /** Nova prepares the target itself (the image from Glance, the disk by block migration): nothing to do. */
    @Override
    public void prepareMigrationTarget(ComputeSpec spec) {
        LOG.fine(() -> "Nova prepares " + uri.computeHost() + " for " + spec.computeId() + " itself");
    }

    /** Nova cannot start a server with its vCPUs paused, so a stopped VM cannot move the libvirt way. */
    @Override
    public void startPaused(String computeId) {
        throw new ConflictException("OFFLINE_MIGRATION is not available on OpenStack hosts: Nova cannot start a "
                + "server paused from its first instruction (use LIVE_MIGRATION of a running VM; Nova's cold "
                + "migration would resize-confirm through the scheduler and is not offered)");
    }

    @Override
    public void migrate(String computeId, MigrationTarget target, MigrationOptions options) {
        HostUri to = HostUri.parse("targetHostId", target.uri());
        if (!to.cloud().equals(uri.cloud())) {
            throw new InvalidInputException("targetHostId", "host " + target.hostId() + " is in cloud " + to.cloud()
                    + ", the VM's host in cloud " + uri.cloud() + ": Nova migrates within one cloud");
        }
        Server server = requireHere(computeId);
        LOG.info(() -> "VM " + computeId + ": Nova live migration from " + uri.computeHost() + " to " + to.computeHost()
                + " (block_migration auto; the downtime limit " + options.maxDowntime().toMillis() + " ms and bandwidth "
                + "are Nova's configuration, live_migration_downtime / live_migration_bandwidth, not per request)");
        http.cloud().lastMigration.remove(computeId);
        nova.liveMigrate(server.id(), to.computeHost());
        Instant started = http.cloud().clock().instant();
        Duration timeout = http.settings().migrationTimeout();
        boolean forced = false;
        while (true) {
            sleep(http.settings().pollInterval());
            List<JsonNode> running = nova.migrationsInProgress(server.id());
            if (!running.isEmpty()) {
                http.cloud().lastMigration.put(computeId, progress(running.get(0), MigrationProgress.JobState.RUNNING));
            }
            Server now = nova.show(server.id()).orElseThrow(() -> new BackendException("VM " + computeId
                    + " (server " + server.id() + ") disappeared during its live migration", null));
            if (now.settled()) {
                finish(computeId, now, to);
                return;
            }
            Duration elapsed = Duration.between(started, http.cloud().clock().instant());
            if (!running.isEmpty() && !forced && elapsed.compareTo(timeout) > 0) {
                LOG.warning("Live migration of " + computeId + " runs for " + elapsed.toSeconds() + " s; force-completing "
                        + "it (the guest pauses until its memory is across)");
                nova.forceCompleteMigration(server.id(), running.get(0).path("id").asLong());
                forced = true;
            } else if (elapsed.compareTo(timeout.multipliedBy(2)) > 0) {
                if (!running.isEmpty()) {
                    nova.abortMigration(server.id(), running.get(0).path("id").asLong());
                }
                throw new BackendException("The live migration of " + computeId + " did not complete within "
                        + timeout.multipliedBy(2).toSeconds() + " s, even force-completed; aborted", null);
            }
        }
    }

    /** Nova has settled the server: it is on the target (done) or still on the source (rolled back). */
    private void finish(String computeId, Server now, HostUri to) {
        MigrationProgress last = http.cloud().lastMigration.getOrDefault(computeId, MigrationProgress.NONE);
        if (to.computeHost().equals(now.host()) && "ACTIVE".equals(now.status())) {
            http.cloud().lastMigration.put(computeId, new MigrationProgress(MigrationProgress.JobState.COMPLETED,
                    last.memoryTotal(), Math.max(last.memoryProcessed(), last.memoryTotal()), 0, last.iteration(), 0,
                    last.elapsed(), null));
            LOG.info(() -> "Migrated " + computeId + " from " + uri.computeHost() + " to " + to.computeHost());
            return;
        }
        String status = nova.migrationHistory(now.id()).stream().findFirst().map(m -> m.path("status").asText())
                .orElse("unknown");
        boolean cancelled = status.equals("cancelled");
        http.cloud().lastMigration.put(computeId, new MigrationProgress(cancelled ? MigrationProgress.JobState.CANCELLED
                : MigrationProgress.JobState.FAILED, last.memoryTotal(), last.memoryProcessed(), last.memoryRemaining(),
                0, 0, last.elapsed(), null));
        String where = "VM " + computeId + " stays on " + now.host() + " (" + now.backendState()
                + (now.fault() == null ? "" : ", fault: " + now.fault()) + "); Nova's migration record says " + status;
        if (cancelled) {
            throw new ConflictException("The live migration was aborted: " + where);
        }
        throw new BackendException("Nova's live migration to " + to.computeHost() + " failed: " + where, null);
    }

    @Override
    public MigrationProgress migrationProgress(String computeId) {
        Optional<Server> server = server(computeId);
        if (server.isPresent()) {
            List<JsonNode> running = nova.migrationsInProgress(server.get().id());
            if (!running.isEmpty()) {
                return progress(running.get(0), MigrationProgress.JobState.RUNNING);
            }
        }
        MigrationProgress last = http.cloud().lastMigration.getOrDefault(computeId, MigrationProgress.NONE);
        return last.state() == MigrationProgress.JobState.RUNNING ? MigrationProgress.NONE : last;
    }

    /** The figures of the VM's completed migration as the source last saw them; Nova measures no downtime. */
    @Override
    public MigrationProgress completedMigration(String computeId) {
        MigrationProgress last = http.cloud().lastMigration.getOrDefault(computeId, MigrationProgress.NONE);
        return last.state() == MigrationProgress.JobState.COMPLETED ? last : MigrationProgress.NONE;
    }

    @Override
    public void abortMigration(String computeId) {
        Server server = server(computeId).orElseThrow(() -> gone(computeId));
        List<JsonNode> running = nova.migrationsInProgress(server.id());
        if (running.isEmpty()) {
            throw new ConflictException("VM " + computeId + " has no live migration in progress to abort");
        }
        nova.abortMigration(server.id(), running.get(0).path("id").asLong());
        LOG.info(() -> "Asked Nova to abort the live migration of " + computeId);
    }

    /** Force-completes the VM's running live migration (Nova pauses the guest until memory is across). */
    public void forceCompleteMigration(String computeId) {
        Server server = server(computeId).orElseThrow(() -> gone(computeId));
        List<JsonNode> running = nova.migrationsInProgress(server.id());
        if (running.isEmpty()) {
            throw new ConflictException("VM " + computeId + " has no live migration in progress to force-complete");
        }
        nova.forceCompleteMigration(server.id(), running.get(0).path("id").asLong());
    }

    /** Nova removes the source's disk itself; nothing remains here unless the server still is. */
    @Override
    public void releaseDisk(String computeId) {
        if (find(computeId).isPresent()) {
            throw new ConflictException("VM " + computeId + " is still on edge host '" + hostId + "'; its disk stays");
        }
    }

    // --- capacity -------------------------------------------------------------------------------

    @Override
    public HostResources resources() {
        PlacementCapacity.Reading reading = readPlacement();
        lastReading = reading;
        return reading.resources();
    }

    /**
     * The cloud's own reservations and allocation ratios for this host (plus what others hold), to be
     * used instead of the VIM's configured policy; from the reading {@link #resources()} just made.
     */
    public CapacityPolicy capacityPolicy() {
        PlacementCapacity.Reading reading = lastReading;
        if (reading == null || Duration.between(reading.readAt(), http.cloud().clock().instant())
                .compareTo(CAPACITY_READING_AGE) > 0) {
            reading = readPlacement();
            lastReading = reading;
        }
        return reading.policy();
    }

    private PlacementCapacity.Reading readPlacement() {
        String provider = placement.providerNamed(uri.computeHost()).orElseThrow(() -> new BackendException("Placement of "
                + "cloud " + uri.cloud() + " has no resource provider named '" + uri.computeHost() + "' (the compute "
                + "node's name must be the host's)", null));
        Set<String> vimServers = new HashSet<>();
        for (Server s : nova.list("host", uri.computeHost())) {
            if (isVimServer(s)) {
                vimServers.add(s.id());
            }
        }
        return PlacementCapacity.of(placement.inventories(provider), placement.usages(provider),
                placement.allocations(provider), vimServers, http.cloud().clock().instant());
    }

    @Override
    public void close() {
        // The cloud's HTTP client and token are shared with its other hosts; nothing is this host's own.
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** The server of the VIM VM, wherever it runs in the cloud. */
    private Optional<Server> server(String computeId) {
        requireComputeId(computeId);
        String known = http.cloud().serverIds.get(computeId);
        if (known != null) {
            Optional<Server> server = nova.show(known);
            if (server.isPresent()) {
                return server;
            }
            http.cloud().serverIds.remove(computeId);
        }
        Optional<Server> found = nova.list("name", "^" + computeId + "$").stream()
                .filter(s -> computeId.equals(s.name()) && isVimServer(s)).findFirst();
        found.ifPresent(s -> http.cloud().serverIds.put(computeId, s.id()));
        return found;
    }

    private Server requireHere(String computeId) {
        return server(computeId).filter(this::onThisHost).orElseThrow(() -> gone(computeId));
    }

    private boolean onThisHost(Server server) {
        return uri.computeHost().equals(server.host());
    }

    private static boolean isVimServer(Server server) {
        return server.name().equals(server.metadata().get(MARK_COMPUTE_ID)) && COMPUTE_ID.matcher(server.name()).matches();
    }

    /** Polls the server until the condition holds; a server that disappears throws NotFound. */
    private Server await(String computeId, String serverId, Predicate<Server> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Server server = nova.show(serverId).orElseThrow(() -> NotFoundException.withMessage("VM " + computeId
                    + " (server " + serverId + ") disappeared from cloud " + uri.cloud() + " during " + what));
            if (done.test(server)) {
                return server;
            }
            if (System.nanoTime() > deadline) {
                throw new BackendException("VM " + computeId + " on " + uri.computeHost() + " is still "
                        + server.backendState() + " after " + timeout.toSeconds() + " s of " + what, null);
            }
            sleep(http.settings().pollInterval());
        }
    }

    private ComputeInstance instance(String computeId, Server server) {
        return new ComputeInstance(computeId, NovaStates.of(server), server.backendState());
    }

    /** The VIM's marks plus the caller's metadata, within Nova's limits (checked here, said clearly). */
    private static Map<String, String> serverMetadata(String computeId, String name, String imageId,
            Map<String, String> metadata) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(MARK_COMPUTE_ID, computeId);
        all.put(MARK_NAME, name);
        all.put(MARK_IMAGE, imageId);
        metadata.forEach((key, value) -> {
            if (key.startsWith("vim:")) {
                throw new InvalidInputException("metadata." + key, "keys starting with 'vim:' are the VIM's own on "
                        + "OpenStack hosts");
            }
            if (value.length() > NOVA_METADATA_LENGTH) {
                throw new InvalidInputException("metadata." + key, "OpenStack hosts keep metadata values of at most "
                        + NOVA_METADATA_LENGTH + " characters (Nova's limit)");
            }
            all.put(key, value);
        });
        return all;
    }

    /** The active Glance image of a VIM image; the core put it there before calling the driver. */
    private JsonNode glanceImage(ImageRef image) {
        return images.usable(image).orElseThrow(() -> NotFoundException.withMessage("Image '" + image.imageId()
                + "' is not available in the Glance of cloud " + uri.cloud() + " (edge host '" + hostId + "')"));
    }

    /** A disk image with a kernel boots it like Glance says: kernel_id / ramdisk_id properties of the disk image. */
    private void linkKernel(JsonNode disk, ComputeSpec spec) {
        if (spec.boot().kernel() == null) {
            return;
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("kernel_id", glanceImage(spec.boot().kernel()).path("id").asText());
        if (spec.boot().ramdisk() != null) {
            wanted.put("ramdisk_id", glanceImage(spec.boot().ramdisk()).path("id").asText());
        }
        Map<String, String> missing = new LinkedHashMap<>();
        Set<String> existing = new HashSet<>();
        wanted.forEach((key, value) -> {
            if (disk.has(key)) {
                existing.add(key);
            }
            if (!value.equals(disk.path(key).asText())) {
                missing.put(key, value);
            }
        });
        if (!missing.isEmpty()) {
            glance.setProperties(disk.path("id").asText(), missing, existing);
        }
    }

    private static MigrationProgress progress(JsonNode migration, MigrationProgress.JobState state) {
        long total = migration.path("memory_total_bytes").asLong(0);
        long processed = migration.path("memory_processed_bytes").asLong(0);
        long remaining = migration.path("memory_remaining_bytes").asLong(0);
        Duration elapsed = Duration.ZERO;
        try {
            Instant created = LocalDateTime.parse(migration.path("created_at").asText()).toInstant(ZoneOffset.UTC);
            Instant updated = LocalDateTime.parse(migration.path("updated_at").asText(migration.path("created_at")
                    .asText())).toInstant(ZoneOffset.UTC);
            elapsed = Duration.between(created, updated).isNegative() ? Duration.ZERO : Duration.between(created, updated);
        } catch (DateTimeParseException e) {
            // Nova's timestamps are naive UTC; an unreadable one only costs the elapsed figure
        }
        return new MigrationProgress(state, total, processed, remaining, 0, 0, elapsed, null);
    }

    private static String requireComputeId(String computeId) {
        if (computeId == null || !COMPUTE_ID.matcher(computeId).matches()) {
            throw new InvalidInputException("computeId", "must be a UUID");
        }
        return computeId;
    }

    private NotFoundException gone(String computeId) {
        return NotFoundException.withMessage("VM " + computeId + " does not exist on edge host '" + hostId + "'");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted while waiting for the cloud", e);
        }
    }
}
