package org.edgevim.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.edgevim.core.capacity.CapacityMonitor;
import org.edgevim.core.capacity.CapacityPolicy;
import org.edgevim.core.capacity.CapacityService;
import org.edgevim.core.capacity.HostCapacity;
import org.edgevim.core.event.NotificationPublisher;
import org.edgevim.core.event.VimNotification;
import org.edgevim.core.model.ComputeFlavour;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.edgevim.core.model.TerminationType;
import org.edgevim.core.model.VirtualCompute;
import org.junit.jupiter.api.Test;

class CapacityMonitorTest {

    @Test
    void allocateAndTerminateAreAnnouncedAndAnUnchangedHostIsNot() {
        InMemoryRepositories.Computes computes = new InMemoryRepositories.Computes();
        Map<String, FakeDriver> drivers = new HashMap<>();
        HostRegistry registry = new HostRegistry(new InMemoryRepositories.Hosts(), List.of(FakeDriver.factory(drivers)));
        registry.register(new EdgeHost("edge-1", "fake", "fake://1", "zone-a", List.of(), HostState.UNKNOWN));
        List<VimNotification> published = new CopyOnWriteArrayList<>();
        CapacityService capacity = new CapacityService(registry, computes, h -> CapacityPolicy.STRICT);
        CapacityMonitor monitor = new CapacityMonitor(registry, capacity, published::add, Runnable::run,
                Clock.systemUTC());
        TestImages images = new TestImages(computes, registry, NotificationPublisher.NONE);
        ComputeService vms = new ComputeService(computes, registry, capacity, images.service, monitor,
                Clock.systemUTC());

        monitor.checkAll();
        assertThat(published).hasSize(1); // the first observation
        monitor.checkAll();
        assertThat(published).hasSize(1); // nothing changed

        VirtualCompute vm = vms.allocate(new AllocationRequest("vm", new ComputeFlavour(2, 1024, 1),
                images.activeDisk("app").imageId(), "edge-1", null, Map.of()));
        assertThat(published).hasSize(2);
        VimNotification after = published.get(1);
        assertThat(after.notificationType()).isEqualTo(VimNotification.CAPACITY_CHANGE);
        assertThat(after.objectId()).isEqualTo("edge-1");
        assertThat(((HostCapacity) after.payload()).memoryMiB().allocated()).isEqualTo(1024);

        vms.terminate(vm.computeId(), TerminationType.FORCEFUL, Duration.ZERO);
        assertThat(published).hasSize(3);
        assertThat(((HostCapacity) published.get(2).payload()).memoryMiB().allocated()).isZero();
    }
}
