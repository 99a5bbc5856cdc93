package org.edgevim.libvirt;

import java.util.Optional;
import org.edgevim.core.error.BackendException;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;

/** Lookups in a host's storage pool, with "not there" as a value rather than an exception. */
final class StoragePools {

    private StoragePools() {
    }

    /** The VIM's pool on the host; its absence is a host set up wrongly, said so. */
    static StoragePool lookup(Connect c, String poolName, String hostId) throws LibvirtException {
        try {
            return c.storagePoolLookupByName(poolName);
        } catch (LibvirtException e) {
            if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_POOL)) {
                throw new BackendException("Edge host '" + hostId + "' has no storage pool '" + poolName + "'", e);
            }
            throw e;
        }
    }

    /** The volume, if the pool has one of that name (the caller frees it). */
    static Optional<StorageVol> volume(StoragePool pool, String name) throws LibvirtException {
        try {
            return Optional.of(pool.storageVolLookupByName(name));
        } catch (LibvirtException e) {
            if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_VOL)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
