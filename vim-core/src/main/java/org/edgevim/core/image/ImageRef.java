package org.edgevim.core.image;

import java.util.Objects;
import org.edgevim.core.model.Identifiers;

/**
 * One stored, verified image as a host needs to know it: which, in what format, how big.
 *
 * @param imageId  VIM-assigned id (validated: safe as part of a file or volume name)
 * @param format   the format the VIM found in the bytes (not the client's claim)
 * @param size     bytes
 * @param checksum sha256 of the bytes, lower-case hex
 */
public record ImageRef(String imageId, DiskFormat format, long size, String checksum) {

    public ImageRef {
        Identifiers.requireImageId("imageId", imageId);
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(checksum, "checksum");
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
    }
}
