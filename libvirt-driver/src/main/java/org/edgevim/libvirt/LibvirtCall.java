package org.edgevim.libvirt;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/** One interaction with a host's libvirt over an open connection. */
@FunctionalInterface
interface LibvirtCall<T> {
    T apply(Connect connect) throws LibvirtException;
}
