package org.edgevim.core.image;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Turns bytes arriving from a client (an upload, an import) into verified image bytes in the
 * {@link ImageStore}, or refuses them. The checks, in order, each before the next looks further:
 * <ol>
 * <li>the byte count: a stream that ends early is an interrupted transfer, not an image;</li>
 * <li>the SHA-256 the client declared, computed while streaming (no second read);</li>
 * <li>the qcow2 header, read by the VIM itself before any QEMU tool parses the file: backing
 *     files and external data files are refused (they make QEMU open paths on the host);</li>
 * <li>{@code qemu-img info}: the real format and virtual size; the format must be the declared one
 *     (a "raw" upload that is really a qcow2 would be read as qcow2 by a host that probes).</li>
 * </ol>
 * The staged bytes are removed whenever a check fails; only a passing image is committed.
 */
public final class ImageIngest {

    /** The transfer ended before all bytes arrived, or went over the size limit. The image may be retried. */
    public static final class Interrupted extends Exception {
        public Interrupted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The bytes are complete but not acceptable: the image is KILLED with this reason. */
    public static final class Refused extends Exception {
        private final String field;

        public Refused(String field, String message) {
            super(message);
            this.field = field;
        }

        /** The request field the refusal is about ({@code checksum}, {@code diskFormat} or {@code file}). */
        public String field() {
            return field;
        }
    }

    /** What verification established about the committed bytes. */
    public record Verified(Checksum checksum, DiskFormat format, long size, long virtualSize) {
    }

    private final ImageStore store;
    private final ImageInspector inspector;
    private final long maxBytes;

    public ImageIngest(ImageStore store, ImageInspector inspector, long maxBytes) {
        this.store = store;
        this.inspector = inspector;
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Streams {@code in} into the store and verifies it against what {@code image} declares.
     *
     * @param expectedLength the length the sender announced (Content-Length), or -1 if unknown
     */
    public Verified ingest(SoftwareImage image, InputStream in, long expectedLength) throws Interrupted, Refused {
        String id = image.imageId();
        boolean committed = false;
        try {
            if (expectedLength > maxBytes) {
                throw new Interrupted("the image is " + expectedLength + " bytes, over the limit of " + maxBytes, null);
            }
            MessageDigest sha256 = sha256();
            long received;
            try (DigestInputStream digesting = new DigestInputStream(in, sha256)) {
                received = store.receive(id, digesting, maxBytes);
            } catch (IOException e) {
                throw new Interrupted("the transfer broke off: " + e.getMessage(), e);
            }
            if (expectedLength >= 0 && received != expectedLength) {
                throw new Interrupted("only " + received + " of " + expectedLength + " bytes arrived", null);
            }
            if (received == 0) {
                throw new Refused("file", "the image is empty");
            }
            Checksum computed = Checksum.sha256(HexFormat.of().formatHex(sha256.digest()));
            if (image.checksum() != null && !image.checksum().equals(computed)) {
                throw new Refused("checksum", "the bytes' SHA-256 is " + computed.hash() + ", not the declared "
                        + image.checksum().hash());
            }
            Optional<String> headerRefusal = headerRefusal(id);
            if (headerRefusal.isPresent()) {
                throw new Refused("file", headerRefusal.get());
            }
            ImageInspector.Inspection inspection = inspect(id);
            DiskFormat found = formatOf(image.diskFormat(), inspection);
            store.commit(id);
            committed = true;
            return new Verified(computed, found, received, inspection.virtualSize());
        } catch (IOException e) {
            throw new Interrupted("the VIM could not store the image: " + e.getMessage(), e);
        } finally {
            if (!committed) {
                store.discard(id);
            }
        }
    }

    private Optional<String> headerRefusal(String id) throws IOException, Refused {
        try {
            return QcowHeader.parse(store.head(id, QcowHeader.LENGTH)).flatMap(QcowHeader::refusal);
        } catch (IllegalArgumentException e) {
            throw new Refused("file", "not a valid qcow2 image: " + e.getMessage());
        }
    }

    private ImageInspector.Inspection inspect(String id) throws Refused, IOException {
        ImageInspector.Inspection inspection = inspector.inspect(id);
        if (inspection.backingFile() != null) {
            throw new Refused("file", "images with a backing file are not accepted (it names '"
                    + inspection.backingFile() + "')");
        }
        if (inspection.dataFile() != null) {
            throw new Refused("file", "images with an external data file are not accepted");
        }
        return inspection;
    }

    /** The declared format, if the bytes are of that kind; kernels and initramfs are plain (raw) files. */
    private static DiskFormat formatOf(DiskFormat declared, ImageInspector.Inspection inspection) throws Refused {
        String expected = declared == DiskFormat.QCOW2 ? "qcow2" : "raw";
        if (!expected.equals(inspection.format())) {
            throw new Refused("diskFormat", "declared " + declared.apiName() + " but the bytes are "
                    + inspection.format() + (declared.isDisk() ? "" : " (a kernel or initramfs must be a plain file)"));
        }
        return declared;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
