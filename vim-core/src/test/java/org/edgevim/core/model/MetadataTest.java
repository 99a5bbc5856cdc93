package org.edgevim.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.edgevim.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class MetadataTest {

    @Test
    void mergePatchSetsAndRemoves() {
        Map<String, String> patch = new HashMap<>();
        patch.put("owner", "team-b");
        patch.put("tier", null);
        assertThat(Metadata.merge(Map.of("owner", "team-a", "tier", "gold", "app", "x"), patch))
                .containsExactlyInAnyOrderEntriesOf(Map.of("owner", "team-b", "app", "x"));
    }

    @Test
    void tooManyEntriesIsRefused() {
        Map<String, String> big = new HashMap<>();
        for (int i = 0; i <= Identifiers.MAX_METADATA_ENTRIES; i++) {
            big.put("k" + i, "v");
        }
        assertThatThrownBy(() -> Metadata.validated("metadata", big)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void keysAreChecked() {
        assertThatThrownBy(() -> Metadata.validated("metadata", Map.of("<k>", "v")))
                .isInstanceOf(InvalidInputException.class);
    }
}
