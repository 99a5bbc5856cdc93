package org.edgevim.core.image;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An application image, in the fields of IFA 005 SoftwareImageInformation (clause 8.3.3.2),
 * plus what the VIM learned from the bytes and where it has copied them.
 *
 * @param imageId         VIM-assigned UUID
 * @param name            label
 * @param provider        who made it (optional)
 * @param version         version label (optional)
 * @param checksum        declared by the client until the bytes are verified, then the verified one
 * @param containerFormat {@code bare}, {@code aki} or {@code ari}
 * @param diskFormat      what the bytes are; once ACTIVE, what the VIM found them to be
 * @param createdAt       record created
 * @param updatedAt       last change
 * @param minDisk         GiB a VM needs at least (also never below the virtual size)
 * @param minRam          MiB a VM needs at least
 * @param size            bytes, once stored
 * @param virtualSize     bytes of the disk a VM sees (qcow2's virtual size), once stored
 * @param status          lifecycle state
 * @param statusReason    why the image is KILLED, or why an upload did not finish; else null
 * @param kernelImageId   an {@code aki} image to boot this disk with (direct kernel boot), or null
 * @param ramdiskImageId  an {@code ari} image for that kernel, or null
 * @param sourceUri       where the VIM imported the bytes from, or null for an upload
 * @param userMetadata    free key/values
 * @param locations       copies on edge hosts
 */
public record SoftwareImage(
        String imageId,
        String name,
        String provider,
        String version,
        Checksum checksum,
        String containerFormat,
        DiskFormat diskFormat,
        Instant createdAt,
        Instant updatedAt,
        int minDisk,
        int minRam,
        Long size,
        Long virtualSize,
        ImageStatus status,
        String statusReason,
        String kernelImageId,
        String ramdiskImageId,
        String sourceUri,
        Map<String, String> userMetadata,
        List<ImageLocation> locations) {

    public SoftwareImage {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(containerFormat, "containerFormat");
        Objects.requireNonNull(diskFormat, "diskFormat");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(status, "status");
        userMetadata = Map.copyOf(userMetadata);
        locations = List.copyOf(locations);
    }

    /** The stored bytes as hosts need to know them; only for an image whose bytes are verified. */
    public ImageRef ref() {
        if (size == null || checksum == null) {
            throw new IllegalStateException("image " + imageId + " has no verified bytes");
        }
        return new ImageRef(imageId, diskFormat, size, checksum.hash());
    }

    public SoftwareImage withStatus(ImageStatus newStatus, String reason, Instant at) {
        return new SoftwareImage(imageId, name, provider, version, checksum, containerFormat, diskFormat, createdAt, at,
                minDisk, minRam, size, virtualSize, newStatus, reason, kernelImageId, ramdiskImageId, sourceUri,
                userMetadata, locations);
    }

    /** ACTIVE with what verification found. */
    public SoftwareImage verified(Checksum verified, DiskFormat format, long bytes, long virtualBytes, Instant at) {
        return new SoftwareImage(imageId, name, provider, version, verified, containerFormat, format, createdAt, at,
                minDisk, minRam, bytes, virtualBytes, ImageStatus.ACTIVE, null, kernelImageId, ramdiskImageId, sourceUri,
                userMetadata, locations);
    }

    public SoftwareImage withLabels(String newName, String newVersion, Map<String, String> newMetadata, Instant at) {
        return new SoftwareImage(imageId, newName, provider, newVersion, checksum, containerFormat, diskFormat, createdAt,
                at, minDisk, minRam, size, virtualSize, status, statusReason, kernelImageId, ramdiskImageId, sourceUri,
                newMetadata, locations);
    }

    /** Replaces (or adds) the location on {@code location.hostId()}. */
    public SoftwareImage withLocation(ImageLocation location) {
        List<ImageLocation> updated = new ArrayList<>();
        locations.stream().filter(l -> !l.hostId().equals(location.hostId())).forEach(updated::add);
        updated.add(location);
        updated.sort(java.util.Comparator.comparing(ImageLocation::hostId));
        return new SoftwareImage(imageId, name, provider, version, checksum, containerFormat, diskFormat, createdAt,
                updatedAt, minDisk, minRam, size, virtualSize, status, statusReason, kernelImageId, ramdiskImageId,
                sourceUri, userMetadata, updated);
    }

    public SoftwareImage withoutLocation(String hostId) {
        return new SoftwareImage(imageId, name, provider, version, checksum, containerFormat, diskFormat, createdAt,
                updatedAt, minDisk, minRam, size, virtualSize, status, statusReason, kernelImageId, ramdiskImageId,
                sourceUri, userMetadata, locations.stream().filter(l -> !l.hostId().equals(hostId)).toList());
    }

    public java.util.Optional<ImageLocation> location(String hostId) {
        return locations.stream().filter(l -> l.hostId().equals(hostId)).findFirst();
    }
}
