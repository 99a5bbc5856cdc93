package org.edgevim.core.image;

import java.io.IOException;
import java.io.InputStream;

/**
 * The VIM's own copy of every image's bytes, from which hosts are served. Writes are staged:
 * {@link #receive} writes a partial file that only {@link #commit} makes the image's bytes, so
 * an interrupted upload never leaves something that looks complete.
 */
public interface ImageStore {

    /**
     * Streams {@code in} to the image's partial file, replacing an earlier partial one, and stops
     * with an IOException once more than {@code maxBytes} arrive. Returns the byte count.
     * The partial file stays until {@link #commit} or {@link #discard}.
     */
    long receive(String imageId, InputStream in, long maxBytes) throws IOException;

    /** The first bytes of the partial file (for format inspection before anything parses it). */
    byte[] head(String imageId, int bytes) throws IOException;

    /** Makes the partial file the image's bytes. */
    void commit(String imageId) throws IOException;

    /** Removes partial and committed bytes of the image; nothing happens if there are none. */
    void discard(String imageId);

    /** A source over the committed bytes. */
    ImageSource source(ImageRef image);
}
