package org.edgevim.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgevim.core.capacity.CapacityPolicy;
import org.edgevim.core.capacity.CapacityService;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.event.NotificationPublisher;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.model.ComputeFlavour;
import org.edgevim.core.model.ComputeOperation;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.edgevim.core.model.OperationalState;
import org.edgevim.core.model.TerminationType;
import org.edgevim.core.model.VirtualCompute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ComputeServiceTest {

    private final InMemoryRepositories.Computes computes = new InMemoryRepositories.Computes();
    private final InMemoryRepositories.Hosts hostRows = new InMemoryRepositories.Hosts();
    private final Map<String, FakeDriver> drivers = new HashMap<>();
    private ComputeService service;
    private TestImages images;
    private String imageId;

    @BeforeEach
    void setUp() {
        HostRegistry registry = new HostRegistry(hostRows, List.of(FakeDriver.factory(drivers)));
        registry.register(new EdgeHost("edge-1", "fake", "fake://1", "zone-a", List.of("cell-1"), HostState.UNKNOWN));
        registry.register(new EdgeHost("edge-2", "fake", "fake://2", "zone-a", List.of("cell-2"), HostState.UNKNOWN));
        CapacityService capacity = new CapacityService(registry, computes, host -> CapacityPolicy.STRICT);
        images = new TestImages(computes, registry, NotificationPublisher.NONE);
        imageId = images.activeDisk("edge-guest").imageId();
        service = new ComputeService(computes, registry, capacity, images.service, AllocationListener.NONE, Clock.systemUTC());
    }

    private AllocationRequest request(String hostId) {
        return new AllocationRequest("web", new ComputeFlavour(1, 256, 1), imageId, hostId, null,
                Map.of("owner", "team-a", "guest.dirty_mibps", "20"));
    }

    @Test
    void allocateRecordsTheVmOnTheChosenHost() {
        VirtualCompute vm = service.allocate(request("edge-2"));

        assertThat(vm.hostId()).isEqualTo("edge-2");
        assertThat(vm.operationalState()).isEqualTo(OperationalState.RUNNING);
        assertThat(computes.find(vm.computeId())).contains(vm);
        assertThat(drivers.get("edge-2").lastSpec.guestParameters()).containsEntry("dirty_mibps", "20");
    }

    @Test
    void failedAllocateLeavesNoRecord() {
        drivers.get("edge-1").failAllocate = true;
        assertThatThrownBy(() -> service.allocate(request("edge-1"))).isInstanceOf(BackendException.class);
        assertThat(computes.rows).isEmpty();
    }

    @Test
    void unreachableHostIsRefusedBeforeAnythingIsRecorded() {
        drivers.get("edge-1").reachable = false;
        assertThatThrownBy(() -> service.allocate(request("edge-1"))).isInstanceOf(HostUnavailableException.class);
        assertThat(computes.rows).isEmpty();
    }

    @Test
    void badGuestParametersAreRefusedBeforeAnythingIsCreated() {
        var bad = new AllocationRequest("web", new ComputeFlavour(1, 256, 1), imageId, "edge-1", null,
                Map.of("guest.x", "a b"));
        assertThatThrownBy(() -> service.allocate(bad)).isInstanceOf(InvalidInputException.class);
        assertThat(drivers.get("edge-1").vms).isEmpty();
    }

    @Test
    void operateChecksTheStateTable() {
        VirtualCompute vm = service.allocate(request(null));
        assertThatThrownBy(() -> service.operate(vm.computeId(), ComputeOperation.UNPAUSE, Duration.ZERO))
                .isInstanceOf(ConflictException.class).hasMessageContaining("RUNNING");
        assertThat(service.operate(vm.computeId(), ComputeOperation.PAUSE, Duration.ZERO).operationalState())
                .isEqualTo(OperationalState.PAUSED);
        assertThat(computes.find(vm.computeId()).orElseThrow().operationalState()).isEqualTo(OperationalState.PAUSED);
    }

    @Test
    void hostEventsUpdateTheRecord() {
        VirtualCompute vm = service.allocate(request("edge-1"));
        drivers.get("edge-1").emit(vm.computeId(), OperationalState.STOPPED);
        assertThat(computes.find(vm.computeId()).orElseThrow().operationalState()).isEqualTo(OperationalState.STOPPED);
    }

    @Test
    void eventsFromAnotherHostDoNotMoveTheRecord() {
        VirtualCompute vm = service.allocate(request("edge-1"));
        drivers.get("edge-2").emit(vm.computeId(), OperationalState.STOPPED);
        assertThat(computes.find(vm.computeId()).orElseThrow().operationalState()).isEqualTo(OperationalState.RUNNING);
    }

    @Test
    void terminateRemovesVmAndRecord() {
        VirtualCompute vm = service.allocate(request("edge-1"));
        service.terminate(vm.computeId(), TerminationType.FORCEFUL, Duration.ZERO);
        assertThat(drivers.get("edge-1").vms).isEmpty();
        assertThatThrownBy(() -> service.get(vm.computeId())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void terminateOnAnUnreachableHostKeepsTheRecord() {
        VirtualCompute vm = service.allocate(request("edge-1"));
        drivers.get("edge-1").reachable = false;
        assertThatThrownBy(() -> service.terminate(vm.computeId(), TerminationType.FORCEFUL, Duration.ZERO))
                .isInstanceOf(HostUnavailableException.class);
        assertThat(computes.find(vm.computeId())).isPresent();
    }

    @Test
    void reconcileCatchesUpOnMissedEvents() {
        VirtualCompute vm = service.allocate(request("edge-1"));
        drivers.get("edge-1").vms.put(vm.computeId(), OperationalState.STOPPED); // no event
        service.reconcile("edge-1");
        assertThat(computes.find(vm.computeId()).orElseThrow().operationalState()).isEqualTo(OperationalState.STOPPED);
    }

    @Test
    void allocationBeyondCapacityIsRefusedNamingTheResource() {
        // The fake host has 4 CPUs and 8192 MiB.
        var big = new AllocationRequest("big", new ComputeFlavour(2, 6000, 1), imageId, "edge-1", null, Map.of());
        service.allocate(big);
        assertThatThrownBy(() -> service.allocate(big))
                .isInstanceOf(ConflictException.class).hasMessageContaining("memory: 6000 MiB requested, 2192 MiB available");
        // Placement by zone goes to the host that still has room.
        var inZone = new AllocationRequest("big", new ComputeFlavour(2, 6000, 1), imageId, null, "zone-a", Map.of());
        assertThat(service.allocate(inZone).hostId()).isEqualTo("edge-2");
        assertThatThrownBy(() -> service.allocate(inZone)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("No edge host in zone 'zone-a' has room");
    }

    @Test
    void placementSpreadsVmsAcrossTheZone() {
        VirtualCompute first = service.allocate(request(null));
        VirtualCompute second = service.allocate(request(null));
        assertThat(List.of(first.hostId(), second.hostId())).containsExactlyInAnyOrder("edge-1", "edge-2");
    }

    @Test
    void registeringAHostTwiceIsIdempotentButRedefiningItIsAConflict() {
        HostRegistry registry = new HostRegistry(hostRows, List.of(FakeDriver.factory(drivers)));
        EdgeHost same = new EdgeHost("edge-1", "fake", "fake://1", "zone-a", List.of("cell-1"), HostState.UNKNOWN);
        assertThat(registry.register(same).hostId()).isEqualTo("edge-1");
        EdgeHost moved = new EdgeHost("edge-1", "fake", "fake://9", "zone-a", List.of(), HostState.UNKNOWN);
        assertThatThrownBy(() -> registry.register(moved)).isInstanceOf(ConflictException.class);
        EdgeHost unknownDriver = new EdgeHost("edge-7", "vmware", "x", "zone-a", List.of(), HostState.UNKNOWN);
        assertThatThrownBy(() -> registry.register(unknownDriver)).isInstanceOf(InvalidInputException.class);
    }
}
