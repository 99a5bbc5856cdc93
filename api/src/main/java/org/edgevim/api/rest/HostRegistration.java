package org.edgevim.api.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code POST /mm4/v1/hosts}. {@code name} becomes the host's id. With {@code sshUri}
 * (ssh://user@address[:port]) images are copied to the host over SFTP; without, over libvirt.
 */
public record HostRegistration(
        @NotBlank String name,
        @NotBlank String driver,
        @NotBlank @Size(max = 1024) String uri,
        @NotBlank String zoneId,
        @Size(max = 256) List<String> cells,
        @Size(max = 300) String sshUri) {
}
