package org.edgevim.api.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;
import org.edgevim.core.image.ImageRef;
import org.edgevim.core.image.ImageSource;
import org.edgevim.core.image.ImageStore;
import org.edgevim.core.model.Identifiers;

/**
 * Image bytes as files in one directory: {@code <imageId>.partial} while arriving,
 * {@code <imageId>.image} once committed (an atomic rename, so a crash never leaves a
 * half-written file under the committed name). Streams through a fixed buffer: memory use does
 * not grow with the image.
 */
public final class FileImageStore implements ImageStore {

    private static final Logger LOG = Logger.getLogger(FileImageStore.class.getName());
    private static final int BUFFER = 1 << 20;

    private final Path directory;

    public FileImageStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the image store " + this.directory, e);
        }
    }

    /** Removes partial files left by uploads a crash cut off; their images are reset by the service. */
    public void removeLeftovers() {
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(directory, "*.partial")) {
            for (Path partial : partials) {
                Files.deleteIfExists(partial);
                LOG.info(() -> "Removed the partial upload " + partial.getFileName() + " left by an earlier run");
            }
        } catch (IOException e) {
            LOG.warning("Could not clean " + directory + ": " + e.getMessage());
        }
    }

    @Override
    public long receive(String imageId, InputStream in, long maxBytes) throws IOException {
        Path partial = partial(imageId);
        long total = 0;
        try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > maxBytes) {
                    throw new IOException("the image is larger than the limit of " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    @Override
    public byte[] head(String imageId, int bytes) throws IOException {
        try (InputStream in = Files.newInputStream(partial(imageId))) {
            return in.readNBytes(bytes);
        }
    }

    @Override
    public void commit(String imageId) throws IOException {
        Files.move(partial(imageId), committed(imageId), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void discard(String imageId) {
        try {
            Files.deleteIfExists(partial(imageId));
            Files.deleteIfExists(committed(imageId));
        } catch (IOException e) {
            LOG.warning("Could not remove the bytes of image " + imageId + ": " + e.getMessage());
        }
    }

    @Override
    public ImageSource source(ImageRef image) {
        Path file = committed(image.imageId());
        return new ImageSource() {
            @Override
            public ImageRef image() {
                return image;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }

    /** The staged file, for inspection by qemu-img before it is committed. */
    Path partial(String imageId) {
        return file(imageId, ".partial");
    }

    Path committed(String imageId) {
        return file(imageId, ".image");
    }

    private Path file(String imageId, String suffix) {
        Identifiers.requireImageId("imageId", imageId); // no separators, no leading dot
        Path file = directory.resolve(imageId + suffix).normalize();
        if (!file.getParent().equals(directory)) {
            throw new IllegalArgumentException("image id escapes the store: " + imageId);
        }
        return file;
    }
}
