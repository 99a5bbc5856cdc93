package org.edgevim.core.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/** Opens the bytes of an image to import from a URL (http or https). */
public interface ImageFetcher {

    /**
     * @param body           the bytes, streamed
     * @param expectedLength the length the server announced, or -1
     */
    record Download(InputStream body, long expectedLength) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** @throws IOException when the server cannot be reached or does not answer 200 */
    Download open(URI source) throws IOException;
}
