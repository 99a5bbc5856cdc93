package org.edgevim.core.image;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import org.edgevim.core.driver.HostImageCache;
import org.edgevim.core.service.HostRegistry;

/**
 * Puts verified images into edge hosts' caches: on demand when a VM is to boot on a host, ahead of
 * time when an orchestrator (or the mobility work) prestages them. Copies run on a bounded pool,
 * several hosts in parallel; two requests for the same image on the same host share one copy.
 * Every copy's state and progress is recorded as the image's location on that host.
 */
public final class ImageDistribution {

    private static final Logger LOG = Logger.getLogger(ImageDistribution.class.getName());
    /** Progress is written to the record at most this often per copy (it is for humans watching). */
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(500);

    private final ImageRepository repository;
    private final ImageStore store;
    private final HostRegistry hosts;
    private final Executor transfers;
    private final Clock clock;
    /** Per copy; 0 = unlimited. */
    private final long maxBytesPerSecond;
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    public ImageDistribution(ImageRepository repository, ImageStore store, HostRegistry hosts,
            Executor transfers, long maxBytesPerSecond, Clock clock) {
        this.repository = repository;
        this.maxBytesPerSecond = maxBytesPerSecond;
        this.store = store;
        this.hosts = hosts;
        this.transfers = transfers;
        this.clock = clock;
    }

    /**
     * Makes sure the host has the image, copying it if not. The future completes when the host's
     * copy is complete; it fails with the copy's VimException.
     */
    public CompletableFuture<Void> ensureOnHost(ImageRef image, String hostId) {
        String key = image.imageId() + "@" + hostId;
        CompletableFuture<Void> copy = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(key, copy);
        if (running != null) {
            return running;
        }
        try {
            transfers.execute(() -> {
                try {
                    copyIfMissing(image, hostId);
                    inFlight.remove(key, copy);
                    copy.complete(null);
                } catch (RuntimeException e) {
                    inFlight.remove(key, copy);
                    copy.completeExceptionally(e);
                }
            });
        } catch (RuntimeException rejected) { // the pool is shutting down
            inFlight.remove(key, copy);
            copy.completeExceptionally(rejected);
        }
        return copy;
    }

    /** Waits for several copies, rethrowing the first failure as it was thrown. */
    public static void await(List<CompletableFuture<Void>> copies) {
        try {
            CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Removes the image from every host that has it; unreachable hosts keep theirs (logged). */
    public void removeEverywhere(SoftwareImage image) {
        if (image.size() == null || image.checksum() == null) {
            return;
        }
        ImageRef ref = image.ref();
        for (ImageLocation location : image.locations()) {
            try {
                hosts.driver(location.hostId()).images().remove(ref);
                repository.removeLocation(image.imageId(), location.hostId());
            } catch (RuntimeException e) {
                LOG.warning("Could not remove image " + image.imageId() + " from " + location.hostId()
                        + " (left in its pool; remove by hand): " + e.getMessage());
            }
        }
    }

    private void copyIfMissing(ImageRef image, String hostId) {
        HostImageCache cache = hosts.driver(hostId).images();
        String method = cache.transferMethod();
        if (cache.find(image).isPresent()) {
            record(image, hostId, ImageLocation.State.CACHED, method, image.size(), null);
            return;
        }
        record(image, hostId, ImageLocation.State.COPYING, method, 0, null);
        long started = System.nanoTime();
        try {
            cache.store(RateLimitedSource.of(store.source(image), maxBytesPerSecond),
                    new ProgressRecorder(image, hostId, method));
        } catch (RuntimeException e) {
            record(image, hostId, ImageLocation.State.FAILED, method, 0, e.getMessage());
            LOG.warning("Copying image " + image.imageId() + " to " + hostId + " failed: " + e.getMessage());
            throw e;
        }
        record(image, hostId, ImageLocation.State.CACHED, method, image.size(), null);
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        LOG.info(String.format("Copied image %s (%d bytes) to %s by %s in %.1f s (%.1f MiB/s)", image.imageId(),
                image.size(), hostId, method, seconds, image.size() / seconds / (1 << 20)));
    }

    private void record(ImageRef image, String hostId, ImageLocation.State state, String method, long copied,
            String error) {
        repository.saveLocation(image.imageId(),
                new ImageLocation(hostId, state, method, copied, image.size(), error, clock.instant()));
    }

    /** Writes progress to the location record, throttled. */
    private final class ProgressRecorder implements org.edgevim.core.image.TransferListener {
        private final ImageRef image;
        private final String hostId;
        private final String method;
        private long lastWrite = System.nanoTime();

        ProgressRecorder(ImageRef image, String hostId, String method) {
            this.image = image;
            this.hostId = hostId;
            this.method = method;
        }

        @Override
        public void progress(long bytesCopied, long totalBytes) {
            long now = System.nanoTime();
            if (now - lastWrite >= PROGRESS_INTERVAL.toNanos() && bytesCopied < totalBytes) {
                lastWrite = now;
                record(image, hostId, ImageLocation.State.COPYING, method, bytesCopied, null);
            }
        }
    }
}
