package org.edgevim.libvirt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the VIM logs in to edge hosts over SSH: one key for every host, and every host's key pinned
 * in a known_hosts file (no trust on first use: a host missing from it is refused).
 *
 * @param identityFile   private key (OpenSSH format, no passphrase) that the hosts accept
 * @param knownHostsFile known_hosts naming every host ("[address]:port" when the port is not 22)
 * @param connectTimeout limit for the TCP connect and for each step of the SSH handshake; during a
 *                       transfer, the host is given up after about three times this much silence
 */
public record SshSettings(Path identityFile, Path knownHostsFile, Duration connectTimeout) {

    public SshSettings {
        requireReadableFile("SSH identity file", identityFile);
        requireReadableFile("SSH known_hosts file", knownHostsFile);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SSH connect timeout must be positive and below 24 days: " + connectTimeout);
        }
    }

    /** Fails now, with the path in the message, rather than at the first upload to some host. */
    private static void requireReadableFile(String what, Path file) {
        Objects.requireNonNull(file, what);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(what + " " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " " + file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(what + " " + file + " is not readable by this process");
        }
    }
}
