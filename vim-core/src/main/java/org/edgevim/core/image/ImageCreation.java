package org.edgevim.core.image;

import java.util.Map;

/**
 * An Mm4 "add software image" request after JSON parsing, before validation.
 *
 * @param checksumAlgorithm optional; with checksumHash, what the bytes must hash to
 * @param sourceUri         optional http(s) URL the VIM imports the bytes from (else they are uploaded)
 */
public record ImageCreation(
        String name,
        String provider,
        String version,
        String checksumAlgorithm,
        String checksumHash,
        String containerFormat,
        String diskFormat,
        Integer minDisk,
        Integer minRam,
        String kernelImageId,
        String ramdiskImageId,
        String sourceUri,
        Map<String, String> userMetadata) {
}
