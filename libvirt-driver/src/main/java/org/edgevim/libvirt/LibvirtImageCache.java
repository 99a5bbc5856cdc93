package org.edgevim.libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.logging.Logger;
import org.edgevim.core.driver.HostImageCache;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.image.ImageRef;
import org.edgevim.core.image.ImageSource;
import org.edgevim.core.image.TransferListener;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.Stream;
import org.w3c.dom.Document;

/**
 * Images in the host's storage pool, one volume each (named by {@link ImageVolumes}). Copies go
 * one of two ways:
 * <ul>
 * <li>over SFTP into the pool's directory, for hosts registered with an sshUri: written to a
 *     hidden temporary name and renamed, so a copy cut off never has the final name;</li>
 * <li>over the libvirt connection itself, as a storage-volume upload stream, for the others.
 *     libvirt cannot rename a volume, so the upload writes under the final name.</li>
 * </ul>
 * Either way a copy counts as present only when its size is the image's size: {@link #find}
 * ignores (and the next {@link #store} replaces) the remains of a copy that was cut off.
 */
final class LibvirtImageCache implements HostImageCache {

    /** How bytes reach the host. */
    record Upload(SftpImageTransfer sftp, String sshUri) {
        static final Upload LIBVIRT_STREAM = new Upload(null, null);

        static Upload sftp(SftpImageTransfer sftp, String sshUri) {
            return new Upload(java.util.Objects.requireNonNull(sftp), java.util.Objects.requireNonNull(sshUri));
        }

        String method() {
            return sftp == null ? "libvirt-stream" : "sftp";
        }
    }

    private static final Logger LOG = Logger.getLogger(LibvirtImageCache.class.getName());
    private static final int CHUNK = 256 * 1024;

    private final String hostId;
    private final LibvirtHostConnection connection;
    private final LibvirtDriverSettings settings;
    private final Upload upload;

    LibvirtImageCache(String hostId, LibvirtHostConnection connection, LibvirtDriverSettings settings, Upload upload) {
        this.hostId = hostId;
        this.connection = connection;
        this.settings = settings;
        this.upload = upload;
    }

    @Override
    public String transferMethod() {
        return upload.method();
    }

    @Override
    public Optional<Long> find(ImageRef image) {
        return connection.call("look for image " + image.imageId(), c -> {
            StoragePool pool = pool(c);
            try {
                refresh(pool); // another channel (SFTP, an operator) may have changed the directory
                Optional<StorageVol> volume = StoragePools.volume(pool, ImageVolumes.name(image));
                if (volume.isEmpty()) {
                    return Optional.<Long>empty();
                }
                try {
                    long size = physicalSize(volume.get());
                    return size == image.size() ? Optional.of(size) : Optional.<Long>empty();
                } finally {
                    volume.get().free();
                }
            } finally {
                pool.free();
            }
        });
    }

    @Override
    public void store(ImageSource source, TransferListener listener) {
        if (upload.sftp() != null) {
            storeOverSftp(source, listener);
        } else {
            storeOverLibvirt(source, listener);
        }
    }

    private void storeOverSftp(ImageSource source, TransferListener listener) {
        ImageRef image = source.image();
        String directory = connection.call("read the path of pool " + settings.storagePool(), c -> {
            StoragePool pool = pool(c);
            try {
                return poolDirectory(pool);
            } finally {
                pool.free();
            }
        });
        upload.sftp().upload(hostId, upload.sshUri(), source::open, image.size(), directory, ImageVolumes.name(image),
                sent -> listener.progress(sent, image.size()));
        connection.call("refresh pool " + settings.storagePool(), c -> {
            StoragePool pool = pool(c);
            try {
                refresh(pool); // libvirt learns of files written behind its back only on a refresh
                return null;
            } finally {
                pool.free();
            }
        });
    }

    /** The directory of a dir pool ({@code /pool/target/path}), as the host sees it. */
    private String poolDirectory(StoragePool pool) throws LibvirtException {
        Document xml = XmlDocuments.parse(pool.getXMLDesc(0));
        var targets = xml.getElementsByTagName("target");
        for (int i = 0; i < targets.getLength(); i++) {
            var children = targets.item(i).getChildNodes();
            for (int j = 0; j < children.getLength(); j++) {
                if ("path".equals(children.item(j).getNodeName())) {
                    return children.item(j).getTextContent().trim();
                }
            }
        }
        throw new BackendException("Pool '" + settings.storagePool() + "' on edge host '" + hostId
                + "' has no target directory: SFTP needs a dir pool", null);
    }

    private void storeOverLibvirt(ImageSource source, TransferListener listener) {
        ImageRef image = source.image();
        String name = ImageVolumes.name(image);
        connection.call("upload image " + image.imageId(), c -> {
            StoragePool pool = pool(c);
            try {
                deleteIfPresent(pool, name);
                StorageVol volume = pool.storageVolCreateXML(VolumeXml.upload(name, "raw"), 0);
                try {
                    upload(c, volume, source, listener);
                } catch (LibvirtException | RuntimeException e) {
                    deleteQuietly(volume, name);
                    throw e;
                } finally {
                    volume.free();
                }
                // No refresh here: libvirt refreshes the pool itself once an upload stream ends, and
                // refuses a refresh while any upload into the pool is still running.
                return null;
            } finally {
                pool.free();
            }
        });
        LOG.fine(() -> "Uploaded image " + image.imageId() + " to " + hostId + " as volume " + name);
    }

    private static void upload(Connect c, StorageVol volume, ImageSource source, TransferListener listener)
            throws LibvirtException {
        long total = source.image().size();
        Stream stream = c.streamNew(0);
        boolean finished = false;
        try (InputStream in = source.open()) {
            volume.upload(stream, 0, total, 0);
            byte[] buffer = new byte[CHUNK];
            long sent = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                java.nio.ByteBuffer chunk = java.nio.ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    stream.write(chunk); // a blocking stream may take part of a chunk at a time
                }
                sent += n;
                listener.progress(sent, total);
            }
            if (sent != total) {
                throw new BackendException("Image " + source.image().imageId() + " has " + sent + " bytes in the VIM's"
                        + " store, expected " + total, null);
            }
            stream.finish();
            finished = true;
        } catch (IOException e) {
            throw new BackendException("Could not copy image " + source.image().imageId() + " to the host: "
                    + e.getMessage(), e);
        } finally {
            if (!finished) {
                try {
                    stream.abort();
                } catch (LibvirtException ignored) {
                    // the stream is broken already; the volume is deleted by the caller
                }
            }
            stream.free();
        }
    }

    @Override
    public void remove(ImageRef image) {
        connection.call("remove image " + image.imageId(), c -> {
            StoragePool pool = pool(c);
            try {
                refresh(pool);
                deleteIfPresent(pool, ImageVolumes.name(image));
                return null;
            } finally {
                pool.free();
            }
        });
    }

    /**
     * Rescans the pool's directory. libvirt refuses while an upload stream into the pool runs
     * ("pool has asynchronous jobs running"); the scan is then skipped: what the running upload
     * writes libvirt knows anyway, and a file written over SFTP is found by the next scan.
     */
    private void refresh(StoragePool pool) throws LibvirtException {
        try {
            pool.refresh(0);
        } catch (LibvirtException e) {
            if (!String.valueOf(e.getMessage()).contains("asynchronous jobs")) {
                throw e;
            }
            LOG.fine(() -> "Pool " + settings.storagePool() + " on " + hostId + " not rescanned: an upload is running");
        }
    }

    /** Bytes in the file, from the volume XML's {@code <physical>} (capacity is a qcow2's virtual size). */
    private static long physicalSize(StorageVol volume) throws LibvirtException {
        Document xml = XmlDocuments.parse(volume.getXMLDesc(0));
        var physical = xml.getElementsByTagName("physical");
        if (physical.getLength() > 0) {
            return Long.parseLong(physical.item(0).getTextContent().trim());
        }
        return volume.getInfo().allocation;
    }

    private void deleteIfPresent(StoragePool pool, String name) throws LibvirtException {
        Optional<StorageVol> old = StoragePools.volume(pool, name);
        if (old.isPresent()) {
            try {
                old.get().delete(0);
            } finally {
                old.get().free();
            }
        }
    }

    private void deleteQuietly(StorageVol volume, String name) {
        try {
            volume.delete(0);
        } catch (LibvirtException e) {
            LOG.warning("Could not remove the partial copy " + name + " on " + hostId + ": " + e.getMessage());
        }
    }

    private StoragePool pool(Connect c) throws LibvirtException {
        return StoragePools.lookup(c, settings.storagePool(), hostId);
    }
}
