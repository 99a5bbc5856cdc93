package org.edgevim.core.driver;

import java.util.Optional;
import org.edgevim.core.image.ImageRef;
import org.edgevim.core.image.ImageSource;
import org.edgevim.core.image.TransferListener;

/**
 * The images a host keeps next to its VMs' disks, so that a VM boots from a local copy.
 * The VIM decides what goes where; the host only stores, reports and removes.
 *
 * <p>Duties of an implementation:
 * <ul>
 * <li>{@link #store} is atomic: the image appears under its final name only once every byte is
 *     there (copy to a temporary name, then rename), so a broken copy never looks cached.
 *     A failed copy removes its temporary file.</li>
 * <li>{@link #find} and {@link #remove} are cheap and idempotent.</li>
 * <li>Failures are {@link org.edgevim.core.error.HostUnavailableException} when the host cannot
 *     be reached, {@link org.edgevim.core.error.BackendException} otherwise.</li>
 * </ul>
 */
public interface HostImageCache {

    /** Size in bytes of the host's complete copy of the image, if it has one. */
    Optional<Long> find(ImageRef image);

    /** Copies the image to the host; returns when the copy is complete and in place. */
    void store(ImageSource source, TransferListener listener);

    /** Removes the host's copy; nothing happens if there is none. */
    void remove(ImageRef image);

    /** How this host receives images, for operators: e.g. {@code sftp} or {@code libvirt-stream}. */
    String transferMethod();
}
