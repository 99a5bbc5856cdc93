package org.edgevim.migration;

/** What a shadow holds on its candidate host. */
public enum ShadowKind {
    /**
     * The VM's image (and kernel, initramfs) in the host's cache: a move there copies only the
     * VM's own disk blocks and memory, as an ordinary live migration.
     */
    IMAGE,
    /**
     * The image, the VM's disk and its memory, copied by a live migration that is held in sync with
     * the running VM and does not switch over until the handover executes there (then it does so
     * at once, post-copy). Only the most likely candidate gets one, and only on hosts whose driver
     * can hold a migration (libvirt; not OpenStack).
     */
    MEMORY
}
