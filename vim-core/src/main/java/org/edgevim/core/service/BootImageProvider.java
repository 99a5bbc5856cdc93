package org.edgevim.core.service;

import org.edgevim.core.driver.BootImages;
import org.edgevim.core.model.ComputeFlavour;

/** What allocating a VM needs from the image catalogue. */
public interface BootImageProvider {

    /**
     * The verified images a VM of this flavour boots from.
     *
     * @throws org.edgevim.core.error.NotFoundException     unknown image
     * @throws org.edgevim.core.error.ConflictException     image (or its kernel) not ACTIVE
     * @throws org.edgevim.core.error.InvalidInputException flavour below the image's minDisk, minRam or virtual size
     */
    BootImages bootImagesFor(String imageId, ComputeFlavour flavour);

    /** Copies whatever of {@code boot} the host lacks; returns when all of it is there. */
    void ensureOnHost(BootImages boot, String hostId);

    /** A VM that booted from the image is gone (a pending delete may now complete). */
    void released(String imageId);
}
