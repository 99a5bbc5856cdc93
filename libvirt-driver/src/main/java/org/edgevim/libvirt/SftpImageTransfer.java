package org.edgevim.libvirt;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.JSchRevokedHostKeyException;
import com.jcraft.jsch.JSchSessionDisconnectException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.VimException;

/**
 * Copies an image onto an edge host with SFTP, into a directory of the host's own file system (the
 * VIM's storage pool there). A file appears under its final name only when it is whole: it is
 * written as {@code .<name>.part}, its size checked on the host, then renamed over the final name
 * in one step (OpenSSH's posix-rename), so libvirt never sees half an image and a replaced image
 * is never missing. A failed upload removes its part file (best effort: not when the connection
 * itself is gone; the next upload of that name overwrites it).
 *
 * <p>Only the configured key is offered, and only hosts whose key is in the configured known_hosts
 * are talked to. One SSH session per upload: uploads are rare and large, a session costs little.
 * Uploads of the same file name to the same host must not overlap (they share the part file).
 */
final class SftpImageTransfer {

    private static final Logger LOG = Logger.getLogger(SftpImageTransfer.class.getName());
    static final int DEFAULT_PORT = 22;
    /** Progress is reported at most once per this many bytes, plus once with the total. */
    static final long PROGRESS_STEP = 1024 * 1024;
    private static final int BUFFER_SIZE = 64 * 1024;
    /** Keep-alive probes (one per connect timeout of silence) before a host is given up mid-transfer. */
    private static final int ALIVE_COUNT_MAX = 3;
    private static final String POSIX_RENAME = "posix-rename@openssh.com";
    private static final int FILE_MODE = 0644;

    private final SshSettings settings;

    /** @throws IllegalArgumentException if the identity file is not a key JSch can use without a passphrase */
    SftpImageTransfer(SshSettings settings) {
        this.settings = Objects.requireNonNull(settings);
        requireUsableKey(settings.identityFile());
    }

    /** As {@link #upload(String, String, IoSupplier, long, String, String, LongConsumer)}, naming the host by its address. */
    void upload(String sshUri, IoSupplier<InputStream> source, long size, String directory, String fileName,
            LongConsumer progress) {
        upload(null, sshUri, source, size, directory, fileName, progress);
    }

    /**
     * Uploads {@code size} bytes from {@code source} to {@code directory/fileName} on the host.
     *
     * @param hostId    the VIM's id of the host, for exceptions and messages (null: its SSH address)
     * @param sshUri    {@code ssh://user@host[:port]}, port 22 if absent
     * @param source    opened once the host is reached; closed here
     * @param size      exact number of bytes the source delivers
     * @param directory absolute directory on the host; must exist
     * @param fileName  plain file name: no '/', no leading '.'
     * @param progress  bytes sent so far, at most every {@link #PROGRESS_STEP} bytes, then the total
     *                  once the host has acknowledged everything; called on this thread
     * @throws HostUnavailableException the host cannot be reached or refuses us (connection refused or
     *                                  timed out, host key not as known, login refused, connection lost)
     * @throws BackendException         anything else: the source failed or had another size, the host
     *                                  could not store the file, its size came out wrong
     */
    void upload(String hostId, String sshUri, IoSupplier<InputStream> source, long size, String directory,
            String fileName, LongConsumer progress) {
        Target target = Target.parse(sshUri);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(progress, "progress");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        String dir = requireDirectory(directory);
        requireFileName(fileName);
        Upload upload = new Upload(hostId == null ? target.host() : hostId, target, dir + "." + fileName + ".part",
                dir + fileName, size);

        long started = System.nanoTime();
        Session session = connect(upload);
        try {
            ChannelSftp sftp = openSftp(session, upload);
            try {
                transfer(session, sftp, upload, source, progress);
            } finally {
                sftp.disconnect();
            }
        } finally {
            session.disconnect();
        }
        double seconds = Math.max(System.nanoTime() - started, 1) / 1e9;
        LOG.info(() -> String.format(Locale.ROOT, "Uploaded %s to edge host %s (%s): %d bytes in %.2f s, %.1f MiB/s",
                upload.finalPath(), upload.hostId(), target, size, seconds, size / seconds / (1024 * 1024)));
    }

    /** One upload: to which host (the VIM's id, and where SSH reaches it), its paths there, its size. */
    private record Upload(String hostId, Target target, String partPath, String finalPath, long size) {
    }

    private void transfer(Session session, ChannelSftp sftp, Upload upload, IoSupplier<InputStream> source,
            LongConsumer progress) {
        boolean complete = false;
        try {
            write(session, sftp, upload, source, progress);
            String part = quote(upload.partPath());
            SftpATTRS attrs = remote(session, upload, "check the size of " + upload.partPath(),
                    () -> sftp.stat(part));
            if (attrs.getSize() != upload.size()) {
                throw new BackendException("Edge host '" + upload.hostId() + "' holds " + attrs.getSize()
                        + " bytes in " + upload.partPath() + " after an upload of " + upload.size() + " bytes", null);
            }
            remote(session, upload, "set the mode of " + upload.partPath(), () -> {
                sftp.chmod(FILE_MODE, part);
                return null;
            });
            replace(session, sftp, upload);
            complete = true;
        } finally {
            if (!complete) {
                removeQuietly(session, sftp, upload);
            }
        }
    }

    /** Streams the source into the part file; returns once the host has acknowledged every byte. */
    private void write(Session session, ChannelSftp sftp, Upload upload, IoSupplier<InputStream> source,
            LongConsumer progress) {
        String host = upload.hostId();
        InputStream in;
        try {
            in = Objects.requireNonNull(source.get(), "source stream");
        } catch (IOException e) {
            throw new BackendException("Cannot open the source of " + upload.finalPath() + " for edge host '" + host
                    + "': " + e.getMessage(), e);
        }
        try {
            String part = quote(upload.partPath());
            OutputStream out = remote(session, upload, "create " + upload.partPath(),
                    () -> sftp.put(part, null, ChannelSftp.OVERWRITE, 0));
            long sent = 0;
            long reported = 0;
            boolean written = false;
            try {
                byte[] buffer = new byte[BUFFER_SIZE];
                int n;
                while ((n = read(in, buffer, upload)) >= 0) {
                    if (sent + n > upload.size()) {
                        throw new BackendException("The source of " + upload.finalPath() + " for edge host '" + host
                                + "' delivers more than the announced " + upload.size() + " bytes", null);
                    }
                    try {
                        out.write(buffer, 0, n);
                    } catch (IOException e) {
                        throw remoteFailure(session, upload, "write " + upload.partPath(), e);
                    }
                    sent += n;
                    if (sent - reported >= PROGRESS_STEP) {
                        progress.accept(sent);
                        reported = sent;
                    }
                }
                written = true;
            } finally {
                // Closing waits for the host to acknowledge every write: only then is the data there.
                // After a failure it still has to run (JSch's channel expects those replies first),
                // but its own error must not hide the first one.
                try {
                    out.close();
                } catch (IOException e) {
                    if (written) {
                        throw remoteFailure(session, upload, "write " + upload.partPath(), e);
                    }
                    LOG.log(Level.FINE, "Closing " + upload.partPath() + " after a failure", e);
                }
            }
            if (sent != upload.size()) {
                throw new BackendException("The source of " + upload.finalPath() + " for edge host '" + host
                        + "' ended after " + sent + " of the announced " + upload.size() + " bytes", null);
            }
            if (reported != sent) {
                progress.accept(sent);
            }
        } finally {
            try {
                in.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "Closing the source of " + upload.finalPath(), e);
            }
        }
    }

    private static int read(InputStream in, byte[] buffer, Upload upload) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new BackendException("Reading the source of " + upload.finalPath() + " for edge host '"
                    + upload.hostId() + "' failed: " + e.getMessage(), e);
        }
    }

    /** Renames the part file onto the final name, replacing an older file of that name. */
    private static void replace(Session session, ChannelSftp sftp, Upload upload) {
        String part = quote(upload.partPath());
        String target = quote(upload.finalPath());
        // JSch's rename uses posix-rename@openssh.com (rename(2): replaces the target in one step)
        // whenever the server offers it. Plain SFTP rename refuses an existing target, so without
        // the extension the old file goes first, leaving a moment without it.
        if (!"1".equals(sftp.getExtension(POSIX_RENAME))) {
            remote(session, upload, "remove the old " + upload.finalPath(), () -> {
                try {
                    sftp.rm(target);
                } catch (SftpException e) {
                    if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                        throw e;
                    }
                }
                return null;
            });
        }
        remote(session, upload, "rename " + upload.partPath() + " to " + upload.finalPath(), () -> {
            sftp.rename(part, target);
            return null;
        });
    }

    private static void removeQuietly(Session session, ChannelSftp sftp, Upload upload) {
        if (!session.isConnected() || !sftp.isConnected()) {
            LOG.warning("Could not remove " + upload.partPath() + " on " + upload.target()
                    + ": the connection is gone (the next upload of this file overwrites it)");
            return;
        }
        try {
            sftp.rm(quote(upload.partPath()));
        } catch (SftpException e) {
            if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                LOG.warning("Could not remove " + upload.partPath() + " on " + upload.target() + ": " + e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not remove " + upload.partPath() + " on " + upload.target(), e);
        }
    }

    // ------------------------------------------------------------------------------ SSH session

    private Session connect(Upload upload) {
        Target target = upload.target();
        int timeoutMs = (int) settings.connectTimeout().toMillis();
        Session session;
        try {
            JSch jsch = new JSch();
            // Read at every upload: the known_hosts file may have been rewritten since (new hosts).
            jsch.setKnownHosts(settings.knownHostsFile().toString());
            jsch.addIdentity(settings.identityFile().toString());
            session = jsch.getSession(target.user(), target.host(), target.port());
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            // Also the socket read timeout: a host silent this long gets a keep-alive, and is given
            // up after ALIVE_COUNT_MAX of them, rather than hanging an upload forever.
            session.setServerAliveInterval(timeoutMs);
            session.setServerAliveCountMax(ALIVE_COUNT_MAX);
        } catch (JSchException e) {
            // Reading our own key or known_hosts failed: our configuration, not the host.
            throw new BackendException("Cannot prepare an SSH session to " + target + ": " + e.getMessage(), e);
        }
        try {
            session.connect(timeoutMs);
            return session;
        } catch (JSchException e) {
            session.disconnect();
            throw connectFailure(upload, e);
        }
    }

    private ChannelSftp openSftp(Session session, Upload upload) {
        Target target = upload.target();
        try {
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect((int) settings.connectTimeout().toMillis());
            return sftp;
        } catch (JSchException e) {
            if (!session.isConnected()) {
                throw new HostUnavailableException(upload.hostId(),
                        "SSH connection to " + target.where() + " lost while opening SFTP: " + e.getMessage(), e);
            }
            throw new BackendException("Edge host '" + upload.hostId() + "' refused an SFTP channel on "
                    + target.where() + " (is the sftp subsystem configured?): " + e.getMessage(), e);
        }
    }

    /**
     * Failures to set up the session. Refused, timed out, unreachable, host key not as known, login
     * refused, or closed by the host: the host is unavailable to us. Anything else (no common
     * algorithm, protocol errors) is reported as a backend failure.
     */
    private VimException connectFailure(Upload upload, JSchException e) {
        String reason = unavailableReason(upload.target(), e);
        if (reason == null) {
            return new BackendException("Edge host '" + upload.hostId() + "': SSH session to " + upload.target()
                    + " could not be set up: " + e.getMessage(), e);
        }
        return new HostUnavailableException(upload.hostId(), reason, e);
    }

    private String unavailableReason(Target target, JSchException e) {
        String where = target.where();
        Path knownHosts = settings.knownHostsFile();
        if (e instanceof JSchChangedHostKeyException) {
            return "host key of " + where + " does not match known_hosts " + knownHosts;
        }
        if (e instanceof JSchRevokedHostKeyException) {
            return "host key of " + where + " is marked revoked in known_hosts " + knownHosts;
        }
        if (e instanceof JSchUnknownHostKeyException) {
            return "host key of " + where + " is not in known_hosts " + knownHosts;
        }
        if (e instanceof JSchHostKeyException) {
            return "host key of " + where + " was rejected: " + e.getMessage();
        }
        String message = String.valueOf(e.getMessage());
        // JSch tells a refused login only by its message ("Auth fail for methods 'publickey'").
        if (message.startsWith("Auth fail") || message.startsWith("Auth cancel")) {
            return "SSH login as " + target.user() + " on " + where + " refused: the host does not accept key "
                    + settings.identityFile() + " (authentication failed)";
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "SSH connection to " + where + " refused";
            }
            if (cause instanceof SocketTimeoutException) {
                return "SSH connection to " + where + " timed out after " + settings.connectTimeout().toMillis() + " ms";
            }
            if (cause instanceof NoRouteToHostException) {
                return "no route to " + where;
            }
            if (cause instanceof UnknownHostException) {
                return "cannot resolve " + target.host();
            }
        }
        if (message.startsWith("timeout")) {
            return "SSH connection to " + where + " timed out after " + settings.connectTimeout().toMillis()
                    + " ms (" + message + ")";
        }
        if (e instanceof JSchSessionDisconnectException || message.contains("closed by foreign host")) {
            return "SSH connection to " + where + " closed by the host during the handshake: " + message;
        }
        return null;
    }

    // ------------------------------------------------------------------------------ SFTP calls

    /** One SFTP request. */
    @FunctionalInterface
    private interface SftpCall<T> {
        T call() throws SftpException;
    }

    private static <T> T remote(Session session, Upload upload, String action, SftpCall<T> call) {
        try {
            return call.call();
        } catch (SftpException e) {
            throw remoteFailure(session, upload, action, e);
        }
    }

    /** A failed SFTP request: the host is gone if the session is, else the host failed the request. */
    private static VimException remoteFailure(Session session, Upload upload, String action, Exception e) {
        if (!session.isConnected()) {
            return new HostUnavailableException(upload.hostId(), "SSH connection to " + upload.target().where()
                    + " lost (trying to " + action + "): " + e.getMessage(), e);
        }
        String status = e instanceof SftpException s ? " (SFTP status " + s.id + ")" : "";
        return new BackendException("Edge host '" + upload.hostId() + "' failed to " + action + " over SFTP: "
                + e.getMessage() + status, e);
    }

    /**
     * JSch treats '*' and '?' in remote paths as glob patterns and '\' as their escape, in every
     * call: escape them so a path always means itself.
     */
    static String quote(String path) {
        StringBuilder quoted = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            if (c == '\\' || c == '*' || c == '?') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.toString();
    }

    // ------------------------------------------------------------------------------ arguments

    /** Returns the directory with one trailing '/'. */
    private static String requireDirectory(String directory) {
        if (directory == null || !directory.startsWith("/") || hasControlCharacter(directory)) {
            throw new IllegalArgumentException("directory must be an absolute path on the host: " + directory);
        }
        return directory.endsWith("/") ? directory : directory + "/";
    }

    /** A plain name: no '/', no leading '.' (so neither "." nor ".." nor a hidden part file). */
    static void requireFileName(String fileName) {
        if (fileName == null || fileName.isEmpty() || fileName.contains("/") || fileName.startsWith(".")
                || fileName.contains("..") || hasControlCharacter(fileName)) {
            throw new IllegalArgumentException(
                    "file name must be a plain name (no '/', no leading '.', no '..'): " + fileName);
        }
    }

    private static boolean hasControlCharacter(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    /** Fails at construction, naming the file, rather than at the first upload. */
    private static void requireUsableKey(Path identityFile) {
        KeyPair key;
        try {
            key = KeyPair.load(new JSch(), identityFile.toString());
        } catch (JSchException e) {
            throw new IllegalArgumentException("SSH identity file " + identityFile + " is not a private key JSch can read: "
                    + e.getMessage(), e);
        }
        try {
            if (key.isEncrypted()) {
                throw new IllegalArgumentException("SSH identity file " + identityFile
                        + " is protected by a passphrase; the VIM needs a key without one");
            }
        } finally {
            key.dispose();
        }
    }

    /** Where to log in, from {@code ssh://user@host[:port]}. */
    record Target(String user, String host, int port) {

        static Target parse(String sshUri) {
            URI uri;
            try {
                uri = new URI(Objects.requireNonNull(sshUri, "sshUri"));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not an SSH URI: " + sshUri, e);
            }
            String user = uri.getUserInfo();
            String host = uri.getHost();
            boolean noPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
            if (!"ssh".equals(uri.getScheme()) || host == null || user == null || user.isEmpty() || !noPath
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("SSH URI must look like ssh://user@host[:port]: " + sshUri);
            }
            if (user.contains(":")) {
                throw new IllegalArgumentException("SSH URI must not carry a password (key login only): ssh://"
                        + user.substring(0, user.indexOf(':')) + ":***@" + host);
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);         // IPv6 literal
            }
            return new Target(user, host, uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort());
        }

        /** "host port N", for messages. */
        String where() {
            return host + " port " + port;
        }

        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }
}
