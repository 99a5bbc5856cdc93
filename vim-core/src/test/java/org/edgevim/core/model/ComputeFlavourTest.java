package org.edgevim.core.model;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.edgevim.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class ComputeFlavourTest {

    @Test
    void acceptsASmallVm() {
        assertThatCode(() -> new ComputeFlavour(1, 256, 1)).doesNotThrowAnyException();
    }

    @Test
    void namesTheFieldThatIsOutOfRange() {
        assertThatThrownBy(() -> new ComputeFlavour(-1, 256, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("flavour.virtualCpu");
        assertThatThrownBy(() -> new ComputeFlavour(1, 1L << 40, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("flavour.virtualMemory");
        assertThatThrownBy(() -> new ComputeFlavour(1, 256, 0))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("flavour.disk");
        assertThatThrownBy(() -> new ComputeFlavour(1, 256, Long.MAX_VALUE))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("flavour.disk");
    }
}
