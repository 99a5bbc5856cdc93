package org.edgevim.libvirt;

import java.io.IOException;

/** Supplies something whose opening may fail with an I/O error, such as an image file to upload. */
@FunctionalInterface
interface IoSupplier<T> {
    T get() throws IOException;
}
