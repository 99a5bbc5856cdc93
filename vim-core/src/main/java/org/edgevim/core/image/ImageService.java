package org.edgevim.core.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import org.edgevim.core.driver.BootImages;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.event.NotificationPublisher;
import org.edgevim.core.event.VimNotification;
import org.edgevim.core.model.ComputeFlavour;
import org.edgevim.core.model.Identifiers;
import org.edgevim.core.model.Metadata;
import org.edgevim.core.service.BootImageProvider;
import org.edgevim.core.service.ComputeRepository;
import org.edgevim.core.service.HostRegistry;

/**
 * Mm4 software image operations (IFA 005 clause 7.2): the catalogue, the verified bytes behind
 * it, and the rules that tie images to the VMs booted from them. Every status change is stored
 * before it is announced, and announced to subscribers as a
 * {@link VimNotification#IMAGE_STATUS_CHANGE}.
 */
public final class ImageService implements BootImageProvider {

    private static final Logger LOG = Logger.getLogger(ImageService.class.getName());
    private static final long GIB = 1L << 30;
    public static final int MAX_PRESTAGE_HOSTS = 64;

    private final ImageRepository repository;
    private final ImageStore store;
    private final ImageIngest ingest;
    private final ImageFetcher fetcher;
    private final ImageDistribution distribution;
    private final ComputeRepository computes;
    private final HostRegistry hosts;
    private final NotificationPublisher notifications;
    private final Executor imports;
    private final Clock clock;
    /** Serialises changes of one image's record (status, labels, delete); other images proceed. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public ImageService(ImageRepository repository, ImageStore store, ImageIngest ingest, ImageFetcher fetcher,
            ImageDistribution distribution, ComputeRepository computes, HostRegistry hosts,
            NotificationPublisher notifications, Executor imports, Clock clock) {
        this.repository = repository;
        this.store = store;
        this.ingest = ingest;
        this.fetcher = fetcher;
        this.distribution = distribution;
        this.computes = computes;
        this.hosts = hosts;
        this.notifications = notifications;
        this.imports = imports;
        this.clock = clock;
    }

    // --- catalogue -------------------------------------------------------------------------------

    /** Creates the record (QUEUED). With a sourceUri the import starts in the background. */
    public SoftwareImage create(ImageCreation request) {
        String name = Identifiers.requireLabel("name", request.name());
        String provider = request.provider() == null ? null : Identifiers.requireLabel("provider", request.provider());
        String version = request.version() == null ? null : Identifiers.requireLabel("version", request.version());
        DiskFormat diskFormat = DiskFormat.parse("diskFormat", request.diskFormat());
        String containerFormat = containerFormat(request.containerFormat(), diskFormat);
        Checksum checksum = null;
        if (request.checksumAlgorithm() != null || request.checksumHash() != null) {
            checksum = Checksum.declared("checksum", request.checksumAlgorithm(), request.checksumHash());
        }
        int minDisk = bounded("minDisk", request.minDisk(), ComputeFlavour.MAX_DISK_GIB);
        int minRam = bounded("minRam", request.minRam(), ComputeFlavour.MAX_MEMORY_MIB);
        String kernel = bootReference("kernelImageId", request.kernelImageId(), DiskFormat.AKI, diskFormat);
        String ramdisk = bootReference("ramdiskImageId", request.ramdiskImageId(), DiskFormat.ARI, diskFormat);
        if (ramdisk != null && kernel == null) {
            throw new InvalidInputException("ramdiskImageId", "needs a kernelImageId (an initramfs is loaded with a kernel)");
        }
        String sourceUri = request.sourceUri() == null ? null : sourceUri(request.sourceUri());
        Map<String, String> userMetadata = Metadata.validated("userMetadata", request.userMetadata());

        Instant now = clock.instant();
        SoftwareImage image = new SoftwareImage(UUID.randomUUID().toString(), name, provider, version, checksum,
                containerFormat, diskFormat, now, now, minDisk, minRam, null, null, ImageStatus.QUEUED, null, kernel,
                ramdisk, sourceUri, userMetadata, List.of());
        repository.insert(image);
        LOG.info(() -> "Image " + image.imageId() + " (" + name + ", " + diskFormat.apiName() + ") created"
                + (sourceUri == null ? ", waiting for its upload" : ", importing from " + sourceUri));
        announce(image);
        if (sourceUri != null) {
            imports.execute(() -> importBytes(image.imageId()));
        }
        return image;
    }

    public SoftwareImage get(String imageId) {
        return find(imageId);
    }

    public List<SoftwareImage> list(String name, String version, ImageStatus status) {
        return repository.list(name, version, status);
    }

    public SoftwareImage update(String imageId, ImageUpdate patch) {
        String name = patch.name() == null ? null : Identifiers.requireLabel("name", patch.name());
        String version = patch.version() == null ? null : Identifiers.requireLabel("version", patch.version());
        synchronized (lock(imageId)) {
            SoftwareImage image = find(imageId);
            Map<String, String> metadata = patch.userMetadata() == null ? image.userMetadata()
                    : Metadata.merge(image.userMetadata(), patch.userMetadata());
            SoftwareImage updated = image.withLabels(name == null ? image.name() : name,
                    version == null ? image.version() : version, metadata, clock.instant());
            repository.update(updated);
            return updated;
        }
    }

    /**
     * Deletes the image, or, while VMs still boot from it, suspends the deletion (PENDING_DELETE)
     * until the last of them is terminated.
     *
     * @return the image if its deletion is pending, empty if it is gone
     */
    public Optional<SoftwareImage> delete(String imageId) {
        synchronized (lock(imageId)) {
            SoftwareImage image = find(imageId);
            if (image.status() == ImageStatus.SAVING) {
                throw new ConflictException("Image " + imageId + " is SAVING; delete it once its upload has ended");
            }
            List<String> dependants = repository.list(null, null, null).stream()
                    .filter(other -> imageId.equals(other.kernelImageId()) || imageId.equals(other.ramdiskImageId()))
                    .map(SoftwareImage::imageId).toList();
            if (!dependants.isEmpty()) {
                throw new ConflictException("Image " + imageId + " is the kernel or initramfs of image(s) " + dependants
                        + "; delete those first");
            }
            long users = users(imageId);
            if (users > 0) {
                if (image.status() == ImageStatus.PENDING_DELETE) {
                    return Optional.of(image);
                }
                SoftwareImage pending = changeStatus(image, ImageStatus.PENDING_DELETE,
                        users + " VM(s) still boot from it; deleted when the last is terminated");
                return Optional.of(pending);
            }
            remove(image);
            return Optional.empty();
        }
    }

    /**
     * After a restart: uploads and copies that were running are gone with the old process. Their
     * images become QUEUED again (imports restart), their copies FAILED (the next use copies again).
     */
    public void recoverInterrupted() {
        for (SoftwareImage image : repository.list(null, null, null)) {
            if (image.status() == ImageStatus.SAVING) {
                changeStatus(image, ImageStatus.QUEUED, image.sourceUri() == null
                        ? "the VIM restarted during the upload; upload the bytes again" : null);
                if (image.sourceUri() != null) {
                    imports.execute(() -> importBytes(image.imageId()));
                }
            }
            for (ImageLocation location : image.locations()) {
                if (location.state() == ImageLocation.State.COPYING) {
                    repository.saveLocation(image.imageId(), new ImageLocation(location.hostId(),
                            ImageLocation.State.FAILED, location.transferMethod(), location.bytesCopied(),
                            location.totalBytes(), "interrupted by a restart of the VIM", clock.instant()));
                }
            }
        }
    }

    /** Completes deletions whose last VM went away while nobody was watching (e.g. across a restart). */
    public void completePendingDeletes() {
        for (SoftwareImage image : repository.list(null, null, ImageStatus.PENDING_DELETE)) {
            released(image.imageId());
        }
    }

    // --- bytes -----------------------------------------------------------------------------------

    /**
     * Receives the image's bytes (streamed: never held in memory) and verifies them.
     *
     * @param length the announced length, or -1
     * @return the ACTIVE image
     * @throws InvalidInputException if the bytes are incomplete (image QUEUED again) or refused (image KILLED)
     */
    public SoftwareImage upload(String imageId, InputStream body, long length) {
        SoftwareImage saving;
        synchronized (lock(imageId)) {
            SoftwareImage image = find(imageId);
            if (image.sourceUri() != null) {
                throw new ConflictException("Image " + imageId + " imports its bytes from " + image.sourceUri());
            }
            if (image.status() != ImageStatus.QUEUED) {
                throw new ConflictException("Image " + imageId + " is " + image.status()
                        + "; bytes can only be uploaded to a QUEUED image");
            }
            saving = changeStatus(image, ImageStatus.SAVING, null);
        }
        try {
            return activate(saving, ingest.ingest(saving, body, length));
        } catch (ImageIngest.Interrupted e) {
            changeStatus(saving, ImageStatus.QUEUED, "upload incomplete: " + e.getMessage());
            throw new InvalidInputException("file", "upload incomplete (" + e.getMessage()
                    + "); nothing was kept and the image accepts a new upload");
        } catch (ImageIngest.Refused e) {
            changeStatus(saving, ImageStatus.KILLED, e.getMessage());
            throw new InvalidInputException(e.field(), e.getMessage() + "; the image is KILLED");
        } catch (RuntimeException e) {
            changeStatus(saving, ImageStatus.QUEUED, "upload failed: " + e.getMessage());
            throw e;
        }
    }

    private void importBytes(String imageId) {
        SoftwareImage saving;
        synchronized (lock(imageId)) {
            Optional<SoftwareImage> image = repository.find(imageId);
            if (image.isEmpty() || image.get().status() != ImageStatus.QUEUED) {
                return; // deleted meanwhile
            }
            saving = changeStatus(image.get(), ImageStatus.SAVING, null);
        }
        URI source = URI.create(saving.sourceUri());
        try (ImageFetcher.Download download = fetcher.open(source)) {
            activate(saving, ingest.ingest(saving, download.body(), download.expectedLength()));
        } catch (IOException | ImageIngest.Interrupted e) {
            changeStatus(saving, ImageStatus.KILLED, "import from " + source + " failed: " + e.getMessage());
        } catch (ImageIngest.Refused e) {
            changeStatus(saving, ImageStatus.KILLED, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "Import of image " + imageId + " failed", e);
            changeStatus(saving, ImageStatus.KILLED, "import from " + source + " failed: " + e.getMessage());
        }
    }

    private SoftwareImage activate(SoftwareImage saving, ImageIngest.Verified verified) {
        synchronized (lock(saving.imageId())) {
            SoftwareImage active = find(saving.imageId()).verified(verified.checksum(), verified.format(),
                    verified.size(), verified.virtualSize(), clock.instant());
            repository.update(active);
            LOG.info(() -> "Image " + active.imageId() + " is ACTIVE: " + verified.size() + " bytes of "
                    + verified.format().apiName() + ", virtual size " + verified.virtualSize() + ", sha256 "
                    + verified.checksum().hash());
            announce(active);
            return active;
        }
    }

    // --- hosts -----------------------------------------------------------------------------------

    /**
     * Starts copying the image (with its kernel and initramfs) to each host, all in parallel, and
     * returns at once; {@link SoftwareImage#locations()} shows each copy's progress and result.
     */
    public SoftwareImage prestage(String imageId, List<String> hostIds) {
        if (hostIds == null || hostIds.isEmpty()) {
            throw new InvalidInputException("hostIds", "name at least one edge host");
        }
        if (hostIds.size() > MAX_PRESTAGE_HOSTS) {
            throw new InvalidInputException("hostIds", "at most " + MAX_PRESTAGE_HOSTS + " hosts at a time");
        }
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < hostIds.size(); i++) {
            String hostId = Identifiers.requireHostId("hostIds[" + i + "]", hostIds.get(i));
            hosts.get(hostId); // 404 for a host the VIM does not know
            if (!targets.contains(hostId)) {
                targets.add(hostId);
            }
        }
        SoftwareImage image = find(imageId);
        List<ImageRef> refs = bootRefs(image, "imageId");
        for (String hostId : targets) {
            for (ImageRef ref : refs) {
                distribution.ensureOnHost(ref, hostId).exceptionally(e -> null); // the location records failures
            }
        }
        LOG.info(() -> "Prestaging image " + imageId + " to " + targets);
        return find(imageId);
    }

    @Override
    public BootImages bootImagesFor(String imageId, ComputeFlavour flavour) {
        SoftwareImage image = repository.find(imageId)
                .orElseThrow(() -> new NotFoundException("software image", imageId));
        if (!image.diskFormat().isDisk()) {
            throw new InvalidInputException("vcImageId", "image " + imageId + " is a "
                    + image.diskFormat().apiName() + " (kernel or initramfs), not a disk image");
        }
        List<ImageRef> refs = bootRefs(image, "vcImageId");
        if (flavour.disk() < image.minDisk()) {
            throw new InvalidInputException("flavour.disk", "image " + imageId + " needs at least " + image.minDisk()
                    + " GiB of disk (its minDisk)");
        }
        long neededGib = (image.virtualSize() + GIB - 1) / GIB;
        if (flavour.disk() < neededGib) {
            throw new InvalidInputException("flavour.disk", "image " + imageId + " is a disk of " + neededGib
                    + " GiB; the flavour's disk must be at least that");
        }
        if (flavour.virtualMemory() < image.minRam()) {
            throw new InvalidInputException("flavour.virtualMemory", "image " + imageId + " needs at least "
                    + image.minRam() + " MiB of memory (its minRam)");
        }
        return new BootImages(refs.get(0), refs.size() > 1 ? refs.get(1) : null, refs.size() > 2 ? refs.get(2) : null);
    }

    @Override
    public void ensureOnHost(BootImages boot, String hostId) {
        // Checked again here: the image may have been deleted since bootImagesFor.
        if (repository.find(boot.disk().imageId()).filter(i -> i.status() == ImageStatus.ACTIVE).isEmpty()) {
            throw new ConflictException("Image " + boot.disk().imageId() + " was deleted while the VM was being placed");
        }
        List<CompletableFuture<Void>> copies = new ArrayList<>();
        copies.add(distribution.ensureOnHost(boot.disk(), hostId));
        if (boot.kernel() != null) {
            copies.add(distribution.ensureOnHost(boot.kernel(), hostId));
        }
        if (boot.ramdisk() != null) {
            copies.add(distribution.ensureOnHost(boot.ramdisk(), hostId));
        }
        ImageDistribution.await(copies);
    }

    @Override
    public void released(String imageId) {
        synchronized (lock(imageId)) {
            repository.find(imageId)
                    .filter(image -> image.status() == ImageStatus.PENDING_DELETE && users(imageId) == 0)
                    .ifPresent(image -> {
                        LOG.info(() -> "The last VM of image " + imageId + " is gone: completing its deletion");
                        remove(image);
                    });
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** The disk image, then its kernel and initramfs if it has them; each must be ACTIVE. */
    private List<ImageRef> bootRefs(SoftwareImage image, String field) {
        List<ImageRef> refs = new ArrayList<>();
        refs.add(active(image, field));
        for (String id : new String[] {image.kernelImageId(), image.ramdiskImageId()}) {
            if (id != null) {
                SoftwareImage part = repository.find(id).orElseThrow(() -> new ConflictException("Image "
                        + image.imageId() + " boots with image " + id + ", which no longer exists"));
                refs.add(active(part, field));
            }
        }
        return refs;
    }

    private static ImageRef active(SoftwareImage image, String field) {
        if (image.status() != ImageStatus.ACTIVE) {
            throw new ConflictException("Image " + image.imageId() + " (" + field + ") is " + image.status()
                    + (image.statusReason() == null ? "" : " (" + image.statusReason() + ")")
                    + "; only ACTIVE images can be used");
        }
        return image.ref();
    }

    private void remove(SoftwareImage image) {
        distribution.removeEverywhere(image);
        store.discard(image.imageId());
        repository.delete(image.imageId());
        locks.remove(image.imageId());
        LOG.info(() -> "Image " + image.imageId() + " (" + image.name() + ") deleted");
        announce(image.withStatus(ImageStatus.DELETED, null, clock.instant()));
    }

    private SoftwareImage changeStatus(SoftwareImage image, ImageStatus status, String reason) {
        synchronized (lock(image.imageId())) {
            SoftwareImage current = repository.find(image.imageId()).orElse(image);
            SoftwareImage changed = current.withStatus(status, reason, clock.instant());
            repository.update(changed);
            LOG.info(() -> "Image " + image.imageId() + ": " + current.status() + " -> " + status
                    + (reason == null ? "" : " (" + reason + ")"));
            announce(changed);
            return changed;
        }
    }

    private void announce(SoftwareImage image) {
        notifications.publish(new VimNotification(VimNotification.IMAGE_STATUS_CHANGE, clock.instant(),
                image.imageId(), image));
    }

    private long users(String imageId) {
        return computes.list(null, null).stream().filter(c -> imageId.equals(c.vcImageId())).count();
    }

    private SoftwareImage find(String imageId) {
        return repository.find(imageId).orElseThrow(() -> new NotFoundException("software image", imageId));
    }

    private Object lock(String imageId) {
        return locks.computeIfAbsent(imageId, id -> new Object());
    }

    private String bootReference(String field, String id, DiskFormat required, DiskFormat of) {
        if (id == null) {
            return null;
        }
        if (!of.isDisk()) {
            throw new InvalidInputException(field, "only disk images (qcow2, raw) boot with a kernel");
        }
        SoftwareImage referenced = repository.find(Identifiers.requireImageId(field, id))
                .orElseThrow(() -> new NotFoundException("software image", id));
        if (referenced.diskFormat() != required) {
            throw new InvalidInputException(field, "image " + id + " is " + referenced.diskFormat().apiName()
                    + ", not " + required.apiName());
        }
        return id;
    }

    private static String containerFormat(String value, DiskFormat diskFormat) {
        String format = Objects.requireNonNullElse(value, "bare");
        if (format.equals("bare") || (!diskFormat.isDisk() && format.equals(diskFormat.apiName()))) {
            return format;
        }
        throw new InvalidInputException("containerFormat", "must be 'bare'"
                + (diskFormat.isDisk() ? "" : " or '" + diskFormat.apiName() + "'") + " (got '" + value + "')");
    }

    private static int bounded(String field, Integer value, long max) {
        if (value == null) {
            return 0;
        }
        if (value < 0 || value > max) {
            throw new InvalidInputException(field, "must be between 0 and " + max);
        }
        return value;
    }

    private static String sourceUri(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("sourceUri", "is not a URI: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || uri.getUserInfo() != null) {
            throw new InvalidInputException("sourceUri", "must be an http or https URL with a host and no user info");
        }
        return uri.toString();
    }
}
