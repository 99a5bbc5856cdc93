package org.edgevim.core.image;

import java.util.Locale;
import org.edgevim.core.error.InvalidInputException;

/**
 * What the bytes of an image are. {@code aki}/{@code ari} are a kernel and an initramfs for
 * direct kernel boot (Glance's names): a disk image refers to them by id, as Glance's
 * {@code kernel_id}/{@code ramdisk_id} do, and the hypervisor boots the kernel with the disk as root.
 */
public enum DiskFormat {
    QCOW2, RAW, AKI, ARI;

    /** The name used in the API and in Glance. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Formats a hypervisor reads as a block device (the others are files handed to its loader). */
    public boolean isDisk() {
        return this == QCOW2 || this == RAW;
    }

    public static DiskFormat parse(String field, String value) {
        if (value == null) {
            throw new InvalidInputException(field, "is required (qcow2, raw, aki or ari)");
        }
        for (DiskFormat f : values()) {
            if (f.apiName().equals(value)) {
                return f;
            }
        }
        throw new InvalidInputException(field, "must be one of qcow2, raw, aki, ari (got '" + value + "')");
    }
}
