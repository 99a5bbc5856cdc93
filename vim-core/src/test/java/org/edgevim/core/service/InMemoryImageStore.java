package org.edgevim.core.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.edgevim.core.image.ImageInspector;
import org.edgevim.core.image.ImageRef;
import org.edgevim.core.image.ImageSource;
import org.edgevim.core.image.ImageStore;
import org.edgevim.core.image.QcowHeader;

/**
 * Image bytes in memory, and an inspector that reads them the way qemu-img would for the two
 * formats the tests use (qcow2 by its header, anything else raw). The real store and qemu-img
 * are exercised by the API's lab tests.
 */
final class InMemoryImageStore implements ImageStore, ImageInspector {

    final Map<String, byte[]> partial = new ConcurrentHashMap<>();
    final Map<String, byte[]> committed = new ConcurrentHashMap<>();

    @Override
    public long receive(String imageId, InputStream in, long maxBytes) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        partial.put(imageId, bytes);
        if (bytes.length > maxBytes) {
            throw new IOException("over the limit");
        }
        if (in.read() >= 0) {
            throw new IOException("over the limit");
        }
        return bytes.length;
    }

    @Override
    public byte[] head(String imageId, int bytes) {
        byte[] all = partial.get(imageId);
        return Arrays.copyOf(all, Math.min(bytes, all.length));
    }

    @Override
    public void commit(String imageId) {
        committed.put(imageId, partial.remove(imageId));
    }

    @Override
    public void discard(String imageId) {
        partial.remove(imageId);
        committed.remove(imageId);
    }

    @Override
    public ImageSource source(ImageRef image) {
        return new ImageSource() {
            @Override
            public ImageRef image() {
                return image;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(committed.get(image.imageId()));
            }
        };
    }

    @Override
    public Inspection inspect(String imageId) {
        byte[] bytes = partial.get(imageId);
        return QcowHeader.parse(head(imageId, QcowHeader.LENGTH))
                .map(h -> new Inspection("qcow2", h.virtualSize(), null, null))
                .orElse(new Inspection("raw", bytes.length, null, null));
    }

    /** A minimal qcow2 v3 header (the fields QcowHeader reads) for a disk of {@code virtualSize} bytes. */
    static byte[] qcow2(long virtualSize, long backingFileOffset) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(512);
        b.putInt(0, 0x514649fb).putInt(4, 3).putLong(8, backingFileOffset).putLong(24, virtualSize);
        return b.array();
    }
}
