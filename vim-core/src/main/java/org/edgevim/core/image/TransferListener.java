package org.edgevim.core.image;

/** Progress of one copy of an image to one host. Called from the copying thread. */
@FunctionalInterface
public interface TransferListener {

    TransferListener NONE = (copied, total) -> { };

    void progress(long bytesCopied, long totalBytes);
}
