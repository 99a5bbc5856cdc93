package org.edgevim.api.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Map;

/** Body of {@code POST /mm6/v1/compute} (IFA 005 Allocate Virtualised Compute, the fields we use). */
public record AllocateCompute(
        @NotBlank String computeName,
        @NotNull @Valid FlavourBody flavour,
        @NotBlank String vcImageId,
        String hostId,
        String zoneId,
        Map<String, String> metadata,
        MobilityBody mobility) {

    /** Sizes: virtualMemory in MiB, disk in GiB. Ranges are checked by the core. */
    /** The users the VM follows (ueIds) and whether and how it may move; all optional. */
    public record MobilityBody(java.util.List<String> ueIds, Boolean relocatable, Long maxDowntimeMs) {

        org.edgevim.core.model.MobilityProfile profile() {
            return org.edgevim.core.model.MobilityProfile.of(ueIds, relocatable, maxDowntimeMs);
        }
    }

    public record FlavourBody(@NotNull Integer virtualCpu, @NotNull Long virtualMemory, @NotNull Long disk) {
    }
}
