package org.edgevim.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComputeOperationTest {

    @ParameterizedTest(name = "{0} from {1}: {2}")
    @CsvSource({
            "START, STOPPED, true", "START, RUNNING, false", "START, CRASHED, true",
            "STOP, RUNNING, true", "STOP, PAUSED, true", "STOP, STOPPED, false",
            "PAUSE, RUNNING, true", "PAUSE, PAUSED, false", "PAUSE, STOPPED, false",
            "UNPAUSE, PAUSED, true", "UNPAUSE, RUNNING, false",
            "REBOOT, RUNNING, true", "REBOOT, STOPPED, false", "REBOOT, PAUSED, false",
            "START, UNKNOWN, false", "STOP, BUILDING, false"})
    void allowedTransitions(ComputeOperation operation, OperationalState from, boolean allowed) {
        assertThat(operation.allowedFrom(from)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"START, RUNNING", "STOP, STOPPED", "PAUSE, PAUSED", "UNPAUSE, RUNNING", "REBOOT, RUNNING"})
    void resultingStates(ComputeOperation operation, OperationalState result) {
        assertThat(operation.resultingState()).isEqualTo(result);
    }
}
