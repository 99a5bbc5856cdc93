package org.edgevim.core.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.edgevim.core.capacity.CapacityService;
import org.edgevim.core.capacity.ResourceAmounts;
import org.edgevim.core.driver.BootImages;
import org.edgevim.core.driver.ComputeDriver;
import org.edgevim.core.driver.ComputeInstance;
import org.edgevim.core.driver.ComputeSpec;
import org.edgevim.core.driver.ComputeStateListener;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.model.ComputeOperation;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.Identifiers;
import org.edgevim.core.model.Metadata;
import org.edgevim.core.model.MobilityProfile;
import org.edgevim.core.model.OperationalState;
import org.edgevim.core.model.TerminationType;
import org.edgevim.core.model.VirtualCompute;

/**
 * Mm6 virtualised compute operations: the rules between the API and the drivers. The record is
 * written before the host is touched and kept in step with what the host reports, so that after
 * a restart the database and the hosts agree.
 */
public final class ComputeService implements ComputeStateListener {

    private static final Logger LOG = Logger.getLogger(ComputeService.class.getName());
    public static final Duration MAX_GRACEFUL_TIMEOUT = Duration.ofMinutes(10);

    private final ComputeRepository repository;
    private final HostRegistry hosts;
    private final Clock clock;
    /** One lock per VM: operations on the same VM are serialised, different VMs proceed in parallel. */
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    private final CapacityService capacity;
    private final BootImageProvider images;
    private final AllocationListener allocations;
    /** Held from the capacity check until the record exists, so two allocations cannot both take the last room. */
    private final Object placementLock = new Object();

    public ComputeService(ComputeRepository repository, HostRegistry hosts, CapacityService capacity,
            BootImageProvider images, AllocationListener allocations, Clock clock) {
        this.repository = repository;
        this.hosts = hosts;
        this.capacity = capacity;
        this.images = images;
        this.allocations = allocations;
        this.clock = clock;
        hosts.addStateListener(this);
    }

    public VirtualCompute allocate(AllocationRequest request) {
        if (request.flavour() == null) {
            throw new InvalidInputException("flavour", "is required");
        }
        String name = Identifiers.requireComputeName("computeName", request.computeName());
        String imageId = Identifiers.requireImageId("vcImageId", request.vcImageId());
        if (request.hostId() != null) {
            Identifiers.requireHostId("hostId", request.hostId());
        }
        if (request.zoneId() != null) {
            Identifiers.requireZoneId("zoneId", request.zoneId());
        }
        Map<String, String> metadata = Metadata.validated("metadata", request.metadata());
        ComputeSpec.guestParameters(metadata); // validate before anything is created
        BootImages boot = images.bootImagesFor(imageId, request.flavour());

        ResourceAmounts wanted = ResourceAmounts.of(request.flavour());
        VirtualCompute compute;
        ComputeDriver driver;
        synchronized (placementLock) {
            EdgeHost host = Placement.choose(hosts.list(), request.hostId(), request.zoneId(), vmCountByHost(),
                    candidate -> capacity.of(candidate).shortfall(wanted));
            driver = hosts.driver(host.hostId());
            compute = new VirtualCompute(UUID.randomUUID().toString(), name, request.flavour(), imageId,
                    host.hostId(), host.zoneId(), OperationalState.BUILDING, metadata, Instant.now(clock),
                    request.mobility());
            repository.insert(compute); // from here on the VM counts against the host's capacity
        }
        String hostId = compute.hostId();
        return withLock(compute.computeId(), () -> {
            ComputeInstance instance;
            try {
                images.ensureOnHost(boot, hostId); // copies the image to the host the first time it boots there
                instance = driver.allocate(ComputeSpec.of(compute, boot));
            } catch (RuntimeException e) {
                // The driver has removed whatever it had made; the record goes too.
                repository.delete(compute.computeId());
                throw e;
            }
            VirtualCompute created = compute.withState(instance.state());
            repository.update(created);
            LOG.info(() -> "Allocated " + created.computeId() + " (" + name + ") on " + hostId + ": "
                    + instance.backendState());
            allocations.allocationsChanged(hostId);
            return created;
        });
    }

    /** The stored record, with its state refreshed from the host when the host answers. */
    public VirtualCompute get(String computeId) {
        VirtualCompute compute = find(computeId);
        return refreshState(compute);
    }

    public List<VirtualCompute> list(String hostId, OperationalState state) {
        return repository.list(hostId, state);
    }

    public VirtualCompute updateMetadata(String computeId, Map<String, String> patch) {
        return update(computeId, patch, null);
    }

    /**
     * Merges metadata (a null value removes a key) and/or replaces the mobility profile; either may
     * be null (left as it is), not both.
     */
    public VirtualCompute update(String computeId, Map<String, String> metadataPatch, MobilityProfile mobility) {
        if (metadataPatch == null && mobility == null) {
            throw new InvalidInputException("metadata", "give metadata or mobility to change");
        }
        return withLock(computeId, () -> {
            VirtualCompute compute = notMigrating(find(computeId));
            VirtualCompute updated = compute;
            if (metadataPatch != null) {
                Map<String, String> merged = Metadata.merge(compute.metadata(), metadataPatch);
                ComputeSpec.guestParameters(merged);
                hosts.driver(compute.hostId()).updateMetadata(computeId, merged);
                updated = updated.withMetadata(merged);
            }
            if (mobility != null) {
                updated = updated.withMobility(mobility);
            }
            repository.update(updated);
            return updated;
        });
    }

    public VirtualCompute operate(String computeId, ComputeOperation operation, Duration gracefulTimeout) {
        Duration timeout = checkTimeout(gracefulTimeout);
        return withLock(computeId, () -> {
            VirtualCompute compute = refreshState(find(computeId));
            if (!operation.allowedFrom(compute.operationalState())) {
                throw new ConflictException("Cannot " + operation + " VM " + computeId + " while it is "
                        + compute.operationalState() + " (allowed from " + operation.allowedStates() + ")");
            }
            OperationalState reached = hosts.driver(compute.hostId()).operate(computeId, operation, timeout);
            VirtualCompute updated = compute.withState(reached);
            repository.update(updated);
            LOG.info(() -> operation + " " + computeId + " on " + compute.hostId() + ": now " + reached);
            return updated;
        });
    }

    /** Removes the VM and its disk from its host, then the record. Unreachable host: 409, record kept. */
    public void terminate(String computeId, TerminationType type, Duration gracefulTimeout) {
        Duration timeout = checkTimeout(gracefulTimeout);
        withLock(computeId, () -> {
            VirtualCompute compute = notMigrating(find(computeId));
            hosts.driver(compute.hostId()).terminate(computeId, type, timeout);
            repository.delete(computeId);
            LOG.info(() -> "Terminated " + computeId + " (" + type + ") on " + compute.hostId());
            allocations.allocationsChanged(compute.hostId());
            images.released(compute.vcImageId());
            return null;
        });
        locks.remove(computeId);
    }

    /**
     * Brings stored states in line with what one host reports: used periodically and after a host
     * comes back, because events are lost while a connection is down.
     */
    public void reconcile(String hostId) {
        ComputeDriver driver = hosts.driver(hostId);
        Map<String, ComputeInstance> onHost;
        try {
            onHost = driver.list().stream().collect(Collectors.toMap(ComputeInstance::computeId, i -> i));
        } catch (HostUnavailableException e) {
            return;
        }
        for (VirtualCompute compute : repository.list(hostId, null)) {
            if (compute.operationalState() == OperationalState.BUILDING
                    || compute.operationalState() == OperationalState.MIGRATING) {
                continue; // an allocate or a migration is in flight; it records the outcome itself
            }
            ComputeInstance instance = onHost.get(compute.computeId());
            OperationalState observed = instance == null ? OperationalState.UNKNOWN : instance.state();
            if (observed != compute.operationalState()) {
                if (instance == null) {
                    LOG.warning("VM " + compute.computeId() + " is recorded on " + hostId + " but the host does not have it");
                }
                onStateChanged(hostId, compute.computeId(), observed, "reconcile");
            }
        }
    }

    @Override
    public void onStateChanged(String hostId, String computeId, OperationalState state, String reason) {
        repository.find(computeId)
                .filter(c -> c.hostId().equals(hostId) && c.operationalState() != state
                        && c.operationalState() != OperationalState.BUILDING
                        && c.operationalState() != OperationalState.MIGRATING)
                .ifPresent(c -> {
                    repository.update(c.withState(state));
                    LOG.info(() -> "VM " + computeId + " on " + hostId + ": " + c.operationalState() + " -> " + state
                            + " (" + reason + ")");
                });
    }

    // --- Migration: the record's side of it. The migration flow moves the VM; these keep the record
    //     consistent: MIGRATING (stored) while it moves, the target's host only once the target confirmed.

    /**
     * Marks the VM MIGRATING, so that no other operation touches it until the migration ends.
     *
     * @param allowedFrom states the migration can start from (e.g. RUNNING for a live migration)
     * @return the record as it was before
     */
    public VirtualCompute beginMigration(String computeId, String targetHostId, java.util.Set<OperationalState> allowedFrom) {
        return withLock(computeId, () -> {
            VirtualCompute compute = refreshState(find(computeId));
            if (compute.hostId().equals(targetHostId)) {
                throw new InvalidInputException("targetHostId", "VM " + computeId + " already runs on " + targetHostId);
            }
            if (!allowedFrom.contains(compute.operationalState())) {
                throw new ConflictException("Cannot migrate VM " + computeId + " while it is "
                        + compute.operationalState() + " (allowed from " + allowedFrom + ")");
            }
            repository.update(compute.withState(OperationalState.MIGRATING));
            return compute;
        });
    }

    /** The target confirmed: the record moves to it. */
    public VirtualCompute completeMigration(String computeId, EdgeHost target, OperationalState state) {
        VirtualCompute moved = withLock(computeId, () -> {
            VirtualCompute compute = find(computeId);
            VirtualCompute updated = compute.movedTo(target.hostId(), target.zoneId(), state);
            repository.update(updated);
            LOG.info(() -> "VM " + computeId + " now runs on " + target.hostId() + " (was " + compute.hostId() + "): "
                    + state);
            allocations.allocationsChanged(compute.hostId());
            return updated;
        });
        allocations.allocationsChanged(target.hostId());
        return moved;
    }

    /** The migration did not happen: the record stays on its host, in the state the host reports. */
    public VirtualCompute abandonMigration(String computeId) {
        return withLock(computeId, () -> {
            VirtualCompute compute = find(computeId);
            OperationalState observed;
            try {
                observed = hosts.driver(compute.hostId()).find(computeId).map(ComputeInstance::state)
                        .orElse(OperationalState.UNKNOWN);
            } catch (HostUnavailableException e) {
                observed = OperationalState.UNKNOWN;
            }
            VirtualCompute updated = compute.withState(observed);
            repository.update(updated);
            return updated;
        });
    }

    private static VirtualCompute notMigrating(VirtualCompute compute) {
        if (compute.operationalState() == OperationalState.MIGRATING) {
            throw new ConflictException("VM " + compute.computeId() + " is MIGRATING; wait for the migration to end "
                    + "or abort it (DELETE /mm6/v1/migrations/{migrationId})");
        }
        return compute;
    }

    private VirtualCompute find(String computeId) {
        return repository.find(computeId).orElseThrow(() -> new NotFoundException("virtual compute", computeId));
    }

    private VirtualCompute refreshState(VirtualCompute compute) {
        if (compute.operationalState() == OperationalState.BUILDING
                || compute.operationalState() == OperationalState.MIGRATING) {
            return compute;
        }
        Optional<ComputeInstance> instance;
        try {
            instance = hosts.driver(compute.hostId()).find(compute.computeId());
        } catch (HostUnavailableException e) {
            return compute.withState(OperationalState.UNKNOWN);
        }
        OperationalState observed = instance.map(ComputeInstance::state).orElse(OperationalState.UNKNOWN);
        if (observed != compute.operationalState()) {
            VirtualCompute updated = compute.withState(observed);
            repository.update(updated);
            return updated;
        }
        return compute;
    }

    private Map<String, Integer> vmCountByHost() {
        return repository.list(null, null).stream()
                .collect(Collectors.groupingBy(VirtualCompute::hostId, Collectors.summingInt(c -> 1)));
    }

    private static Duration checkTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.compareTo(MAX_GRACEFUL_TIMEOUT) > 0) {
            throw new InvalidInputException("gracefulTimeoutSeconds",
                    "must be between 0 and " + MAX_GRACEFUL_TIMEOUT.toSeconds());
        }
        return timeout;
    }

    private <T> T withLock(String computeId, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(computeId, id -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
