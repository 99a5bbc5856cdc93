package org.edgevim.libvirt;

/**
 * How an image is laid out in the VIM's storage pool on a host: a base disk
 * {@code <imageId>.qcow2} and, for images booted with direct kernel boot, a kernel
 * {@code <imageId>.vmlinuz} and an initramfs {@code <imageId>.initrd} beside it.
 *
 * @param disk   volume name of the base disk
 * @param kernel volume name of the kernel
 * @param initrd volume name of the initramfs
 */
record ImageVolumes(String disk, String kernel, String initrd) {

    /** imageId has been validated by the core (no slashes, no "..", no leading dot). */
    static ImageVolumes of(String imageId) {
        return new ImageVolumes(imageId + ".qcow2", imageId + ".vmlinuz", imageId + ".initrd");
    }
}
