package org.edgevim.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
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

    private static final Function<EdgeHost, Optional<String>> FITS = h -> Optional.empty();

    @Test
    void hostsWithoutRoomAreSkippedAndTheShortfallIsNamed() {
        Function<EdgeHost, Optional<String>> edge1Full =
                h -> h.hostId().equals("edge-1") ? Optional.of("memory: 512 MiB requested, 100 MiB available") : Optional.empty();
        assertThat(Placement.choose(hosts, null, "zone-a", Map.of(), edge1Full).hostId()).isEqualTo("edge-2");
        assertThatThrownBy(() -> Placement.choose(hosts, "edge-1", null, Map.of(), edge1Full))
                .isInstanceOf(ConflictException.class).hasMessageContaining("memory");
        assertThatThrownBy(() -> Placement.choose(hosts, null, "zone-a", Map.of(), h -> Optional.of("vCPU: 9 requested, 0 available")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("edge-1 (vCPU").hasMessageContaining("edge-2 (vCPU");
    }

    @Test
    void aHostThatWentDownSinceItsProbeIsSkipped() {
        Function<EdgeHost, Optional<String>> edge1Down = h -> {
            if (h.hostId().equals("edge-1")) {
                throw new HostUnavailableException("edge-1", "refused", null);
            }
            return Optional.empty();
        };
        assertThat(Placement.choose(hosts, null, "zone-a", Map.of(), edge1Down).hostId()).isEqualTo("edge-2");
    }

    @Test
    void explicitHostWins() {
        assertThat(Placement.choose(hosts, "edge-2", null, Map.of("edge-2", 9), FITS).hostId()).isEqualTo("edge-2");
    }

    @Test
    void explicitHostMustExistBeReachableAndMatchTheZone() {
        assertThatThrownBy(() -> Placement.choose(hosts, "edge-9", null, Map.of(), FITS)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> Placement.choose(hosts, "edge-3", null, Map.of(), FITS))
                .isInstanceOf(HostUnavailableException.class);
        assertThatThrownBy(() -> Placement.choose(hosts, "edge-1", "zone-b", Map.of(), FITS))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void otherwiseTheLeastLoadedReachableHostOfTheZone() {
        assertThat(Placement.choose(hosts, null, "zone-a", Map.of("edge-1", 2, "edge-2", 1), FITS).hostId()).isEqualTo("edge-2");
        assertThat(Placement.choose(hosts, null, null, Map.of(), FITS).hostId()).isEqualTo("edge-1");
    }

    @Test
    void aZoneWithOnlyUnreachableHostsIsAConflict() {
        assertThatThrownBy(() -> Placement.choose(hosts, null, "zone-b", Map.of(), FITS)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> Placement.choose(hosts, null, "zone-x", Map.of(), FITS)).isInstanceOf(NotFoundException.class);
    }
}
