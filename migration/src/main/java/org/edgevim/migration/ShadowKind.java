package org.edgevim.migration;

/** What a shadow holds on its candidate host. */
public enum ShadowKind {
    /**
     * The VM's image (and kernel, initramfs) in the host's cache: a move there copies only the
     * VM's own disk blocks and memory.
     */
    IMAGE
}
