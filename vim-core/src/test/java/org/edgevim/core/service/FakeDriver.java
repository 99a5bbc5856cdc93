package org.edgevim.core.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.edgevim.core.driver.ComputeDriver;
import org.edgevim.core.driver.ComputeDriverFactory;
import org.edgevim.core.driver.ComputeInstance;
import org.edgevim.core.driver.ComputeSpec;
import org.edgevim.core.driver.ComputeStateListener;
import org.edgevim.core.driver.HostImageCache;
import org.edgevim.core.driver.HostResources;
import org.edgevim.core.image.ImageRef;
import org.edgevim.core.image.ImageSource;
import org.edgevim.core.image.TransferListener;
import org.edgevim.core.driver.MigrationOptions;
import org.edgevim.core.driver.MigrationProgress;
import org.edgevim.core.driver.MigrationTarget;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.model.ComputeOperation;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.OperationalState;
import org.edgevim.core.model.TerminationType;

/** An in-memory host, with switches to make it unreachable or make allocation fail. */
final class FakeDriver implements ComputeDriver {

    final String hostId;
    final ComputeStateListener listener;
    final Map<String, OperationalState> vms = new ConcurrentHashMap<>();
    final java.util.Set<String> disks = ConcurrentHashMap.newKeySet();
    volatile boolean reachable = true;
    final FakeImageCache images = new FakeImageCache();
    volatile boolean failAllocate;
    ComputeSpec lastSpec;

    FakeDriver(String hostId, ComputeStateListener listener) {
        this.hostId = hostId;
        this.listener = listener;
    }

    static ComputeDriverFactory factory(Map<String, FakeDriver> created) {
        return new ComputeDriverFactory() {
            @Override
            public String driverName() {
                return "fake";
            }

            @Override
            public ComputeDriver create(EdgeHost host, ComputeStateListener listener) {
                FakeDriver driver = new FakeDriver(host.hostId(), listener);
                created.put(host.hostId(), driver);
                return driver;
            }
        };
    }

    /** Simulates a change the host reports on its own, e.g. the guest powered itself off. */
    void emit(String computeId, OperationalState state) {
        vms.put(computeId, state);
        listener.onStateChanged(hostId, computeId, state, "test");
    }

    @Override
    public String hostId() {
        return hostId;
    }

    @Override
    public void probe() {
        check();
    }

    @Override
    public ComputeInstance allocate(ComputeSpec spec) {
        check();
        lastSpec = spec;
        if (failAllocate) {
            throw new BackendException("disk full", null);
        }
        vms.put(spec.computeId(), OperationalState.RUNNING);
        return new ComputeInstance(spec.computeId(), OperationalState.RUNNING, "running");
    }

    @Override
    public Optional<ComputeInstance> find(String computeId) {
        check();
        return Optional.ofNullable(vms.get(computeId)).map(s -> new ComputeInstance(computeId, s, s.name()));
    }

    @Override
    public List<ComputeInstance> list() {
        check();
        return vms.entrySet().stream().map(e -> new ComputeInstance(e.getKey(), e.getValue(), e.getValue().name())).toList();
    }

    @Override
    public void updateMetadata(String computeId, Map<String, String> metadata) {
        check();
    }

    @Override
    public OperationalState operate(String computeId, ComputeOperation operation, Duration gracefulTimeout) {
        check();
        vms.put(computeId, operation.resultingState());
        return operation.resultingState();
    }

    @Override
    public void terminate(String computeId, TerminationType type, Duration gracefulTimeout) {
        check();
        vms.remove(computeId);
    }

    @Override
    public void prepareMigrationTarget(ComputeSpec spec) {
        check();
        disks.add(spec.computeId());
    }

    /** The fake moves nothing: the core has no migration flow yet that a test would drive. */
    @Override
    public void migrate(String computeId, MigrationTarget target, MigrationOptions options) {
        throw new BackendException("fake hosts do not migrate", null);
    }

    @Override
    public MigrationProgress migrationProgress(String computeId) {
        return MigrationProgress.NONE;
    }

    @Override
    public void startPaused(String computeId) {
        check();
        vms.put(computeId, OperationalState.PAUSED);
    }

    @Override
    public MigrationProgress completedMigration(String computeId) {
        return MigrationProgress.NONE;
    }

    @Override
    public void abortMigration(String computeId) {
        check();
    }

    @Override
    public void releaseDisk(String computeId) {
        check();
        disks.remove(computeId);
    }

    @Override
    public HostResources resources() {
        check();
        return new HostResources(4, 8192, 100, 50);
    }

    @Override
    public HostImageCache images() {
        return images;
    }

    @Override
    public void close() {
    }

    /** The host's image cache: what was stored, how often, and a switch to make copies fail. */
    final class FakeImageCache implements HostImageCache {
        final Map<String, Long> stored = new ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicInteger copies = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean failCopies;

        @Override
        public Optional<Long> find(ImageRef image) {
            check();
            return Optional.ofNullable(stored.get(image.imageId()));
        }

        @Override
        public void store(ImageSource source, TransferListener listener) {
            check();
            copies.incrementAndGet();
            if (failCopies) {
                throw new BackendException("pool full", null);
            }
            try (java.io.InputStream in = source.open()) {
                long n = in.readAllBytes().length;
                listener.progress(n, source.image().size());
                stored.put(source.image().imageId(), n);
            } catch (java.io.IOException e) {
                throw new BackendException(e.getMessage(), e);
            }
        }

        @Override
        public void remove(ImageRef image) {
            check();
            stored.remove(image.imageId());
        }

        @Override
        public String transferMethod() {
            return "fake";
        }
    }

    private void check() {
        if (!reachable) {
            throw new HostUnavailableException(hostId, "connection refused", null);
        }
    }
}
