package org.edgevim.api.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /mm4/v1/hosts}. {@code name} becomes the host's id. */
public record HostRegistration(
        @NotBlank String name,
        @NotBlank String driver,
        @NotBlank @Size(max = 1024) String uri,
        @NotBlank String zoneId,
        @Size(max = 256) List<String> cells) {
}
