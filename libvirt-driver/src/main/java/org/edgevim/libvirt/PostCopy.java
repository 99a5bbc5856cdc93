package org.edgevim.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.edgevim.core.error.BackendException;
import org.libvirt.Domain;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;

/** virDomainMigrateStartPostCopy, which libvirt-java 0.5.4 does not bind. */
final class PostCopy {

    private interface Binding extends Library {
        Binding INSTANCE = Native.load("virt", Binding.class);

        int virDomainMigrateStartPostCopy(DomainPointer domain, int flags);
    }

    private PostCopy() {
    }

    /**
     * Switches a running migration (started with VIR_MIGRATE_POSTCOPY) to post-copy: the source
     * stops, the target runs at once and pulls the pages it still lacks.
     */
    static void start(Domain domain) {
        if (Binding.INSTANCE.virDomainMigrateStartPostCopy(JobStats.pointer(domain), 0) < 0) {
            org.libvirt.Error error = new org.libvirt.Error(Libvirt.INSTANCE.virGetLastError());
            throw new BackendException("libvirt could not switch the migration to post-copy: " + error.getMessage(),
                    null);
        }
    }
}
