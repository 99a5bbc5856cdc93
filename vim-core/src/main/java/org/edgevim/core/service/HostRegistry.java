package org.edgevim.core.service;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.edgevim.core.driver.ComputeDriver;
import org.edgevim.core.driver.ComputeDriverFactory;
import org.edgevim.core.driver.ComputeStateListener;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;

/**
 * The registered edge hosts and one driver for each. Hosts are persisted; drivers are created on
 * registration (and at start-up for hosts already stored) and connect lazily.
 */
public final class HostRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HostRegistry.class.getName());

    private final HostRepository repository;
    private final Map<String, ComputeDriverFactory> factories;
    private final Map<String, ComputeDriver> drivers = new ConcurrentHashMap<>();
    private final List<ComputeStateListener> listeners = new CopyOnWriteArrayList<>();

    public HostRegistry(HostRepository repository, List<ComputeDriverFactory> factories) {
        this.repository = repository;
        this.factories = factories.stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(ComputeDriverFactory::driverName, f -> f));
        for (EdgeHost host : repository.list()) {
            openDriver(host);
        }
    }

    /** Listeners receive state changes reported by every host's driver. */
    public void addStateListener(ComputeStateListener listener) {
        listeners.add(listener);
    }

    /**
     * Registers a host, or confirms an identical registration (idempotent). Re-registering an id
     * with a different definition is a conflict: moving a host would orphan its VMs.
     */
    public synchronized EdgeHost register(EdgeHost host) {
        if (!factories.containsKey(host.driver())) {
            throw new InvalidInputException("driver",
                    "unknown driver '" + host.driver() + "'; known: " + String.join(", ", factories.keySet()));
        }
        var existing = repository.find(host.hostId());
        if (existing.isPresent()) {
            EdgeHost stored = existing.get();
            if (stored.driver().equals(host.driver()) && stored.uri().equals(host.uri())
                    && stored.zoneId().equals(host.zoneId()) && stored.cells().equals(host.cells())) {
                return stored;
            }
            throw new ConflictException("Edge host '" + host.hostId() + "' is already registered with a different definition");
        }
        EdgeHost fresh = host.withState(HostState.UNKNOWN);
        ComputeDriver driver = factories.get(fresh.driver()).create(fresh, this::dispatch); // validates the uri
        repository.save(fresh);
        drivers.put(fresh.hostId(), driver);
        LOG.info(() -> "Registered edge host " + fresh.hostId() + " (" + fresh.driver() + " " + fresh.uri() + ", zone "
                + fresh.zoneId() + ")");
        return probe(fresh.hostId());
    }

    public List<EdgeHost> list() {
        return repository.list();
    }

    public EdgeHost get(String hostId) {
        return repository.find(hostId).orElseThrow(() -> new NotFoundException("edge host", hostId));
    }

    public ComputeDriver driver(String hostId) {
        ComputeDriver driver = drivers.get(hostId);
        if (driver == null) {
            throw new NotFoundException("edge host", hostId);
        }
        return driver;
    }

    /** Probes one host and records its reachability; never throws for an unreachable host. */
    public EdgeHost probe(String hostId) {
        EdgeHost host = get(hostId);
        HostState state;
        try {
            driver(hostId).probe();
            state = HostState.REACHABLE;
        } catch (HostUnavailableException e) {
            state = HostState.UNREACHABLE;
            if (host.state() != HostState.UNREACHABLE) {
                LOG.warning(e.getMessage());
            }
        }
        if (state != host.state()) {
            if (state == HostState.REACHABLE && host.state() == HostState.UNREACHABLE) {
                LOG.info(() -> "Edge host " + hostId + " is reachable again");
            }
            host = host.withState(state);
            repository.save(host);
        }
        return host;
    }

    public List<EdgeHost> probeAll() {
        return repository.list().stream().map(h -> probe(h.hostId())).toList();
    }

    private void openDriver(EdgeHost host) {
        ComputeDriverFactory factory = factories.get(host.driver());
        if (factory == null) {
            LOG.severe("Edge host " + host.hostId() + " uses driver '" + host.driver() + "', which is not installed");
            return;
        }
        drivers.computeIfAbsent(host.hostId(), id -> factory.create(host, this::dispatch));
    }

    private void dispatch(String hostId, String computeId, org.edgevim.core.model.OperationalState state, String reason) {
        for (ComputeStateListener listener : listeners) {
            try {
                listener.onStateChanged(hostId, computeId, state, reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "State listener failed for " + computeId, e);
            }
        }
    }

    @Override
    public void close() {
        drivers.values().forEach(ComputeDriver::close);
        drivers.clear();
    }
}
