package org.edgevim.core.image;

import java.io.IOException;

/** Looks at an image's staged bytes the way the hypervisor will (qemu-img info). */
public interface ImageInspector {

    /**
     * @param format       format name as QEMU reports it ({@code qcow2}, {@code raw}, {@code vmdk}, ...)
     * @param virtualSize  bytes of the disk a guest would see
     * @param backingFile  the backing file the image names, or null
     * @param dataFile     the external data file a qcow2 names, or null
     */
    record Inspection(String format, long virtualSize, String backingFile, String dataFile) {
    }

    /** Inspects the partial (not yet committed) bytes of the image. */
    Inspection inspect(String imageId) throws IOException;
}
