package org.edgevim.libvirt;

import org.edgevim.core.image.DiskFormat;
import org.edgevim.core.image.ImageRef;

/**
 * How images are named in the VIM's storage pool on a host: {@code <imageId>.<kind>}, one volume
 * per image, with a suffix by format so that an operator listing the pool sees what is what.
 * The image id has been validated by the core (no slashes, no "..", no leading dot).
 */
final class ImageVolumes {

    private ImageVolumes() {
    }

    static String name(ImageRef image) {
        return image.imageId() + suffix(image.format());
    }

    static String suffix(DiskFormat format) {
        return switch (format) {
            case QCOW2 -> ".qcow2";
            case RAW -> ".raw";
            case AKI -> ".kernel";
            case ARI -> ".initrd";
        };
    }

    /** The libvirt volume format of the image's bytes: kernels and initramfs are plain files. */
    static String volumeFormat(DiskFormat format) {
        return format == DiskFormat.QCOW2 ? "qcow2" : "raw";
    }
}
