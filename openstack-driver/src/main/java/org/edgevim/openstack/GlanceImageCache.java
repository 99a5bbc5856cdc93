package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.edgevim.core.driver.HostImageCache;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.image.DiskFormat;
import org.edgevim.core.image.ImageRef;
import org.edgevim.core.image.ImageSource;
import org.edgevim.core.image.TransferListener;

/**
 * The "cache" of an OpenStack host is its cloud's Glance: one Glance image per VIM image and cloud
 * (found by the property {@value Glance#VIM_IMAGE_ID}), shared by every compute host of the cloud;
 * Nova copies it to the compute host when a server first needs it.
 *
 * <p>Atomic as the contract asks: an image counts only when Glance calls it {@code active} with the
 * size and checksum the VIM verified; an upload that fails deletes the Glance image it created, and a
 * left-over non-active image (an upload cut off by a VIM restart) is deleted before a new upload.
 */
final class GlanceImageCache implements HostImageCache {

    private static final Logger LOG = Logger.getLogger(GlanceImageCache.class.getName());

    private final Glance glance;
    private final CloudHttp http;

    GlanceImageCache(Glance glance, CloudHttp http) {
        this.glance = glance;
        this.http = http;
    }

    @Override
    public Optional<Long> find(ImageRef image) {
        return usable(image).map(i -> i.path("size").asLong());
    }

    /** The active Glance image holding exactly the VIM image's bytes, if there is one. */
    Optional<JsonNode> usable(ImageRef image) {
        return glance.imagesOf(image.imageId()).stream().filter(i -> matches(i, image)).findFirst();
    }

    private static boolean matches(JsonNode glanceImage, ImageRef image) {
        return "active".equals(glanceImage.path("status").asText())
                && glanceImage.path("size").asLong(-1) == image.size()
                && image.checksum().equals(glanceImage.path(Glance.VIM_SHA256).asText());
    }

    @Override
    public void store(ImageSource source, TransferListener listener) {
        ImageRef image = source.image();
        synchronized (http.cloud().imageLocks.computeIfAbsent(image.imageId(), id -> new Object())) {
            List<JsonNode> existing = glance.imagesOf(image.imageId());
            for (JsonNode candidate : existing) {
                if (matches(candidate, image)) {
                    listener.progress(image.size(), image.size());
                    return; // another host of this cloud already put it there
                }
            }
            for (JsonNode stale : existing) {
                LOG.info(() -> "Cloud " + http.cloudName() + ": removing incomplete Glance image "
                        + stale.path("id").asText() + " (" + stale.path("status").asText() + ") of " + image.imageId());
                glance.delete(stale.path("id").asText());
            }
            upload(source, listener);
        }
    }

    private void upload(ImageSource source, TransferListener listener) {
        ImageRef image = source.image();
        JsonNode created = glance.create("vim-" + image.imageId(), image.format().apiName(), containerFormat(image.format()),
                Map.of(Glance.VIM_IMAGE_ID, image.imageId(), Glance.VIM_SHA256, image.checksum()));
        String glanceId = created.path("id").asText();
        try {
            glance.upload(glanceId, image.size(), () -> counting(source, listener));
            JsonNode stored = glance.get(glanceId).orElseThrow(() -> new BackendException("Glance image " + glanceId
                    + " of " + image.imageId() + " disappeared right after its upload", null));
            if (!matches(stored, image)) {
                throw new BackendException("Glance image " + glanceId + " of " + image.imageId() + " is "
                        + stored.path("status").asText() + " with " + stored.path("size").asText("no") + " bytes after "
                        + "the upload of " + image.size(), null);
            }
            LOG.info(() -> "Cloud " + http.cloudName() + ": image " + image.imageId() + " is Glance image " + glanceId);
        } catch (RuntimeException e) {
            try {
                glance.delete(glanceId);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Glance insists that kernels and ramdisks have the container format of their own name. */
    static String containerFormat(DiskFormat format) {
        return switch (format) {
            case AKI -> "aki";
            case ARI -> "ari";
            default -> "bare";
        };
    }

    private static InputStream counting(ImageSource source, TransferListener listener) {
        try {
            long total = source.image().size();
            return new FilterInputStream(source.open()) {
                private long copied;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        copied += n;
                        listener.progress(copied, total);
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void remove(ImageRef image) {
        for (JsonNode glanceImage : glance.imagesOf(image.imageId())) {
            glance.delete(glanceImage.path("id").asText());
        }
    }

    @Override
    public String transferMethod() {
        return "glance"; // one upload per cloud; Nova copies to the compute host on first boot
    }
}
