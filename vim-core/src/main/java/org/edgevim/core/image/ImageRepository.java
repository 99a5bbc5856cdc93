package org.edgevim.core.image;

import java.util.List;
import java.util.Optional;

/**
 * Where image records live. Implementations persist every call before returning.
 * Locations (per-host copies) are stored apart from the record, so that parallel copies to
 * several hosts and a change of the record never overwrite each other.
 */
public interface ImageRepository {

    void insert(SoftwareImage image);

    /** Stores every field of the record except its locations. */
    void update(SoftwareImage image);

    /** The record with its current locations. */
    Optional<SoftwareImage> find(String imageId);

    /** Filters are optional (null = any). Ordered by creation time. */
    List<SoftwareImage> list(String name, String version, ImageStatus status);

    /** Removes the record and its locations. */
    void delete(String imageId);

    /** Adds or replaces the image's location on {@code location.hostId()}. */
    void saveLocation(String imageId, ImageLocation location);

    void removeLocation(String imageId, String hostId);
}
