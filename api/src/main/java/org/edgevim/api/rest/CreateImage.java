package org.edgevim.api.rest;

import jakarta.validation.constraints.NotBlank;
import java.util.Map;

/**
 * Body of {@code POST /mm4/v1/images} (IFA 005 Add Software Image). Give {@code sourceUri} to
 * have the VIM import the bytes, or leave it out and upload them to {@code /images/{id}/file}.
 */
public record CreateImage(
        @NotBlank String name,
        String provider,
        String version,
        ChecksumBody checksum,
        String containerFormat,
        @NotBlank String diskFormat,
        Integer minDisk,
        Integer minRam,
        String kernelImageId,
        String ramdiskImageId,
        String sourceUri,
        Map<String, String> userMetadata) {

    /** ETSI SOL Checksum: only SHA-256 is accepted. */
    public record ChecksumBody(String algorithm, String hash) {
    }
}
