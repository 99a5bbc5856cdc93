package org.edgevim.libvirt;

import org.edgevim.core.driver.ComputeDriver;
import org.edgevim.core.driver.ComputeDriverFactory;
import org.edgevim.core.driver.ComputeStateListener;
import java.util.regex.Pattern;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.model.EdgeHost;

/** Creates {@link LibvirtComputeDriver}s for hosts registered with driver {@code libvirt}. */
public final class LibvirtDriverFactory implements ComputeDriverFactory {

    public static final String DRIVER_NAME = "libvirt";
    private final LibvirtDriverSettings settings;
    /** Null when the VIM has no SSH key: hosts must then be registered without an sshUri. */
    private final SftpImageTransfer sftp;

    public LibvirtDriverFactory(LibvirtDriverSettings settings) {
        this(settings, null);
    }

    /** @param ssh how to reach hosts registered with an sshUri, or null if the VIM has no SSH key */
    public LibvirtDriverFactory(LibvirtDriverSettings settings, SshSettings ssh) {
        this.settings = settings;
        this.sftp = ssh == null ? null : new SftpImageTransfer(ssh);
    }

    @Override
    public String driverName() {
        return DRIVER_NAME;
    }

    /** Remote libvirt URIs the VIM accepts; a local qemu:/// or test:/// URI serves development. */
    private static final Pattern URI = Pattern.compile("(qemu(\\+(tcp|tls|ssh))?|test)://[A-Za-z0-9.:\\[\\]-]*/(system|session|default)");

    /** @throws InvalidInputException if the uri is not a libvirt URI we accept */
    @Override
    public ComputeDriver create(EdgeHost host, ComputeStateListener listener) {
        if (!URI.matcher(host.uri()).matches()) {
            throw new InvalidInputException("uri",
                    "must be a libvirt URI such as qemu+tcp://127.0.0.12/system (qemu, qemu+tcp, qemu+tls, qemu+ssh or test)");
        }
        if (host.sshUri() != null && sftp == null) {
            throw new InvalidInputException("sshUri", "the VIM has no SSH key to reach hosts with "
                    + "(set vim.ssh.identity-file and vim.ssh.known-hosts-file), so images cannot go over SFTP");
        }
        LibvirtHostConnection connection = new LibvirtHostConnection(host.hostId(), host.uri(), listener);
        LibvirtImageCache.Upload upload = host.sshUri() == null ? LibvirtImageCache.Upload.LIBVIRT_STREAM
                : LibvirtImageCache.Upload.sftp(sftp, host.sshUri());
        return new LibvirtComputeDriver(host.hostId(), connection, settings,
                new LibvirtImageCache(host.hostId(), connection, settings, upload));
    }
}
