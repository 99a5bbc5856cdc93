package org.edgevim.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShadowSelectionTest {

    /** edge-1 serves cell-11 and cell-12, edge-2 cell-21, edge-3 cell-31 and cell-32, edge-4 cell-41. */
    private static Optional<String> host(String cell) {
        return switch (cell) {
            case "cell-11", "cell-12" -> Optional.of("edge-1");
            case "cell-21" -> Optional.of("edge-2");
            case "cell-31", "cell-32" -> Optional.of("edge-3");
            case "cell-41" -> Optional.of("edge-4");
            default -> Optional.empty();
        };
    }

    private static ShadowPolicy policy(int max, double min) {
        return new ShadowPolicy(max, min, true, Duration.ofSeconds(60), Duration.ofHours(1));
    }

    private static Map<String, Double> candidates(Object... cellsAndLikelihoods) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < cellsAndLikelihoods.length; i += 2) {
            map.put((String) cellsAndLikelihoods[i], (Double) cellsAndLikelihoods[i + 1]);
        }
        return map;
    }

    @Test
    void theVmsOwnHostAndUnservedCellsNeedNoShadow() {
        var picks = ShadowSelection.select(candidates("cell-12", 0.9, "cell-99", 0.8, "cell-21", 0.5),
                ShadowSelectionTest::host, "edge-1", policy(3, 0.0));
        assertThat(picks).extracting(ShadowSelection.Pick::hostId).containsExactly("edge-2");
    }

    @Test
    void hostsAreRankedByTheirMostLikelyCellAndCutByPolicy() {
        var picks = ShadowSelection.select(
                candidates("cell-21", 0.3, "cell-31", 0.1, "cell-32", 0.6, "cell-41", 0.15),
                ShadowSelectionTest::host, "edge-1", policy(2, 0.2));
        assertThat(picks).extracting(ShadowSelection.Pick::hostId).containsExactly("edge-3", "edge-2");
        assertThat(picks.get(0).cellIds()).containsExactly("cell-31", "cell-32");
        assertThat(picks.get(0).likelihood()).isEqualTo(0.6);
    }

    @Test
    void belowTheMinimumLikelihoodNothingIsPrepared() {
        assertThat(ShadowSelection.select(candidates("cell-21", 0.1), ShadowSelectionTest::host, "edge-1",
                policy(2, 0.2))).isEmpty();
    }

    @Test
    void tiesAreBrokenByHostIdSoTheChoiceIsStable() {
        var picks = ShadowSelection.select(candidates("cell-41", 0.5, "cell-21", 0.5), ShadowSelectionTest::host,
                "edge-1", policy(1, 0.0));
        assertThat(picks).extracting(ShadowSelection.Pick::hostId).containsExactly("edge-2");
    }
}
