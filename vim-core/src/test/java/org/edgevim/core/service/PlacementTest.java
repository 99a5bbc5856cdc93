package org.edgevim.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static EdgeHost host(String id, String zone, HostState state) {
        return new EdgeHost(id, "libvirt", "test:///default", zone, List.of(), state);
    }

    private final List<EdgeHost> hosts = List.of(
            host("edge-1", "zone-a", HostState.REACHABLE),
            host("edge-2", "zone-a", HostState.REACHABLE),
            host("edge-3", "zone-b", HostState.UNREACHABLE));

    @Test
    void explicitHostWins() {
        assertThat(Placement.choose(hosts, "edge-2", null, Map.of("edge-2", 9)).hostId()).isEqualTo("edge-2");
    }

    @Test
    void explicitHostMustExistBeReachableAndMatchTheZone() {
        assertThatThrownBy(() -> Placement.choose(hosts, "edge-9", null, Map.of())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> Placement.choose(hosts, "edge-3", null, Map.of()))
                .isInstanceOf(HostUnavailableException.class);
        assertThatThrownBy(() -> Placement.choose(hosts, "edge-1", "zone-b", Map.of()))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void otherwiseTheLeastLoadedReachableHostOfTheZone() {
        assertThat(Placement.choose(hosts, null, "zone-a", Map.of("edge-1", 2, "edge-2", 1)).hostId()).isEqualTo("edge-2");
        assertThat(Placement.choose(hosts, null, null, Map.of()).hostId()).isEqualTo("edge-1");
    }

    @Test
    void aZoneWithOnlyUnreachableHostsIsAConflict() {
        assertThatThrownBy(() -> Placement.choose(hosts, null, "zone-b", Map.of())).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> Placement.choose(hosts, null, "zone-x", Map.of())).isInstanceOf(NotFoundException.class);
    }
}
