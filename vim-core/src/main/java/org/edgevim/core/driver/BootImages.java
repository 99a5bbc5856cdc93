package org.edgevim.core.driver;

import java.util.Objects;
import org.edgevim.core.image.ImageRef;

/**
 * The images a VM boots from, all present on its host before the driver is called.
 *
 * @param disk    the root disk's base image (qcow2 or raw); the VM gets its own overlay on it
 * @param kernel  a kernel for direct kernel boot, or null to boot the disk through firmware
 * @param ramdisk an initramfs for the kernel, or null
 */
public record BootImages(ImageRef disk, ImageRef kernel, ImageRef ramdisk) {

    public BootImages {
        Objects.requireNonNull(disk, "disk");
        if (ramdisk != null && kernel == null) {
            throw new IllegalArgumentException("a ramdisk needs a kernel");
        }
    }
}
