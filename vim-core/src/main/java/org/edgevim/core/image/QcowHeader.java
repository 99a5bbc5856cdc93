package org.edgevim.core.image;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The fields of a qcow2 header that decide whether an image may be handed to a hypervisor,
 * read by the VIM itself before any QEMU tool opens the file (as Glance's format inspector does):
 * a qcow2 that names a backing file or an external data file makes QEMU open that path on the
 * host, which is a way to read host files through a guest's disk.
 *
 * <p>Layout (docs/interop/qcow2.txt in QEMU): magic "QFI\xfb" at 0, version at 4,
 * backing_file_offset at 8, size at 24, crypt_method at 32, and for version 3
 * incompatible_features at 72 (bit 2 = external data file).
 */
public record QcowHeader(int version, long backingFileOffset, long virtualSize, int cryptMethod,
        long incompatibleFeatures) {

    /** Bytes needed to read every field used here. */
    public static final int LENGTH = 104;
    private static final int MAGIC = 0x514649fb;
    private static final long EXTERNAL_DATA_FILE = 1L << 2;

    /** The header, if the bytes start with the qcow2 magic. */
    public static Optional<QcowHeader> parse(byte[] head) {
        if (head.length < 4 || ByteBuffer.wrap(head).getInt(0) != MAGIC) {
            return Optional.empty();
        }
        if (head.length < 72) {
            throw new IllegalArgumentException("qcow2 header truncated");
        }
        ByteBuffer b = ByteBuffer.wrap(head); // qcow2 is big-endian, like ByteBuffer's default
        int version = b.getInt(4);
        long incompatible = version >= 3 && head.length >= 80 ? b.getLong(72) : 0;
        return Optional.of(new QcowHeader(version, b.getLong(8), b.getLong(24), b.getInt(32), incompatible));
    }

    /** Why a hypervisor must not be given this image, or empty if nothing in the header forbids it. */
    public Optional<String> refusal() {
        if (version != 2 && version != 3) {
            return Optional.of("qcow2 version " + version + " is not supported");
        }
        if (backingFileOffset != 0) {
            return Optional.of("qcow2 images with a backing file are not accepted (it would make the hypervisor "
                    + "open a file of the host)");
        }
        if ((incompatibleFeatures & EXTERNAL_DATA_FILE) != 0) {
            return Optional.of("qcow2 images with an external data file are not accepted (it would make the "
                    + "hypervisor open a file of the host)");
        }
        if (cryptMethod != 0) {
            return Optional.of("encrypted qcow2 images are not accepted");
        }
        return Optional.empty();
    }
}
