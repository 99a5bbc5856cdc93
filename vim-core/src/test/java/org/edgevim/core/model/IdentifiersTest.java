package org.edgevim.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.edgevim.core.error.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

    @ParameterizedTest
    @ValueSource(strings = {"web", "app-1", "A.b_c-9", "x"})
    void acceptsPlainComputeNames(String name) {
        assertThat(Identifiers.requireComputeName("computeName", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<script>", "o'brien", "a&b", "../etc", "a/b", "with space", "-leading", ".hidden",
            "a\nb", "way-too-long-way-too-long-way-too-long-way-too-long-way-too-long-x"})
    void rejectsComputeNamesThatCouldEscapeXmlOrPaths(String name) {
        assertThatThrownBy(() -> Identifiers.requireComputeName("computeName", name))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("computeName: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../edge-guest", "a..b", "/etc/passwd", ".qcow2", "a/b", "x'y"})
    void rejectsImageIdsThatCouldEscapeThePool(String imageId) {
        assertThatThrownBy(() -> Identifiers.requireImageId("vcImageId", imageId))
                .isInstanceOf(InvalidInputException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Edge-1", "edge_1", "-edge", "edge-", ""})
    void hostIdsAreLowercaseDnsLabels(String hostId) {
        assertThatThrownBy(() -> Identifiers.requireHostId("hostId", hostId))
                .isInstanceOf(InvalidInputException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bell\u0007", "nul\u0000"})
    void metadataValuesRefuseControlCharacters(String value) {
        assertThatThrownBy(() -> Identifiers.requireMetadataValue("metadata.k", value))
                .isInstanceOf(InvalidInputException.class);
    }
}
