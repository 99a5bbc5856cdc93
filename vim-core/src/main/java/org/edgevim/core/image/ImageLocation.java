package org.edgevim.core.image;

import java.time.Instant;
import java.util.Objects;

/**
 * An image's copy on one edge host.
 *
 * @param hostId         the host
 * @param state          COPYING, CACHED or FAILED
 * @param transferMethod how the bytes travel to this host ({@code sftp}, {@code libvirt-stream})
 * @param bytesCopied    progress of the current or last copy
 * @param totalBytes     the image's size
 * @param error          why the last copy failed, or null
 * @param updatedAt      last change
 */
public record ImageLocation(String hostId, State state, String transferMethod, long bytesCopied, long totalBytes,
        String error, Instant updatedAt) {

    public enum State { COPYING, CACHED, FAILED }

    public ImageLocation {
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public ImageLocation withProgress(long copied) {
        return new ImageLocation(hostId, state, transferMethod, copied, totalBytes, error, updatedAt);
    }
}
