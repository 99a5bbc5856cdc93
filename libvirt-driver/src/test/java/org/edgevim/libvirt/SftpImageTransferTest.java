package org.edgevim.libvirt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.error.HostUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads to a real OpenSSH sshd, started for this class on a loopback address of its own
 * (127.0.0.50-59, a free port) with throwaway host and client keys. Needs /usr/sbin/sshd (Debian
 * package openssh-server; bin/install-build-deps installs it) and root, as CI has.
 */
@Timeout(60)
class SftpImageTransferTest {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    /** sshd's compiled-in privilege separation directory; without systemd nobody creates it. */
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");
    private static final int MIB = 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    private static Process sshd;
    private static String address;
    private static String uri;
    private static Path pool;
    private static Path clientKey;
    private static Path otherKey;
    private static Path knownHosts;
    private static Path wrongKnownHosts;
    private static Path emptyKnownHosts;
    private static SftpImageTransfer transfer;

    @BeforeAll
    static void startSshd() throws Exception {
        assertThat(Files.isExecutable(SSHD))
                .as("%s is needed for this test (Debian package openssh-server: run bin/install-build-deps)", SSHD)
                .isTrue();
        if (!Files.isDirectory(PRIVSEP_DIR)) {
            Files.createDirectory(PRIVSEP_DIR, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        Path hostKey = keygen("host_key");
        Path otherHostKey = keygen("other_host_key");
        clientKey = keygen("client_key");
        otherKey = keygen("other_client_key");
        Path authorizedKeys = Files.copy(pub(clientKey), dir.resolve("authorized_keys"));

        address = "127.0.0." + (50 + ThreadLocalRandom.current().nextInt(10));
        int port = freePort(address);
        uri = "ssh://" + System.getProperty("user.name") + "@" + address + ":" + port;
        // Not port 22: known_hosts names the host "[address]:port".
        knownHosts = Files.writeString(dir.resolve("known_hosts"), "[" + address + "]:" + port + " " + Files.readString(pub(hostKey)));
        wrongKnownHosts = Files.writeString(dir.resolve("wrong_known_hosts"),
                "[" + address + "]:" + port + " " + Files.readString(pub(otherHostKey)));
        emptyKnownHosts = Files.writeString(dir.resolve("empty_known_hosts"), "");
        pool = Files.createDirectory(dir.resolve("pool"));

        String config = String.join("\n",
                "ListenAddress " + address + ":" + port,
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys,
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "UsePAM no",
                "StrictModes no",
                "Subsystem sftp internal-sftp",
                "LogLevel VERBOSE",
                "");
        Path configFile = dir.resolve("sshd_config");
        // OpenSSH >= 9.8 refuses new connections for a while after a failed login (the tests fail
        // logins on purpose); older versions do not know the option.
        Files.writeString(configFile, config + "PerSourcePenalties no\n");
        if (run(SSHD.toString(), "-t", "-f", configFile.toString()) != 0) {
            Files.writeString(configFile, config);
        }
        Path log = dir.resolve("sshd.log");
        sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", configFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitListening(address, port, log);

        transfer = new SftpImageTransfer(new SshSettings(clientKey, knownHosts, TIMEOUT));
    }

    @AfterAll
    static void stopSshd() throws InterruptedException {
        if (sshd != null) {
            sshd.destroy();
            if (!sshd.waitFor(5, TimeUnit.SECONDS)) {
                sshd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void uploadsByteIdenticalWithProgressAndNoPartFileLeft() throws Exception {
        Path source = randomFile("image.bin", 20 * MIB);
        List<Long> progress = new ArrayList<>();

        transfer.upload(uri, () -> Files.newInputStream(source), Files.size(source), pool.toString(), "image-1.qcow2",
                progress::add);

        Path uploaded = pool.resolve("image-1.qcow2");
        assertThat(sha256(uploaded)).isEqualTo(sha256(source));
        assertThat(Files.getPosixFilePermissions(uploaded)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(pool.resolve(".image-1.qcow2.part")).doesNotExist();
        assertThat(progress).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        assertThat(progress.get(progress.size() - 1)).isEqualTo(20L * MIB);
        assertThat(progress.size()).isBetween(2, 21);                  // about every MiB, not every write
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i) - progress.get(i - 1)).isGreaterThanOrEqualTo(SftpImageTransfer.PROGRESS_STEP);
        }
    }

    @Test
    void replacesAnOlderFileOfTheSameName() throws Exception {
        Path existing = Files.writeString(pool.resolve("image-2.qcow2"), "an older image");
        byte[] content = randomBytes(MIB + 123);

        transfer.upload(uri, () -> new ByteArrayInputStream(content), content.length, pool + "/", "image-2.qcow2",
                bytes -> { });

        assertThat(Files.readAllBytes(existing)).isEqualTo(content);
        assertThat(pool.resolve(".image-2.qcow2.part")).doesNotExist();
    }

    @Test
    void aHostKeyOtherThanKnownIsRefusedBeforeAnythingIsRead() {
        SftpImageTransfer wrong = new SftpImageTransfer(new SshSettings(clientKey, wrongKnownHosts, TIMEOUT));
        AtomicBoolean opened = new AtomicBoolean();

        assertThatThrownBy(() -> wrong.upload(uri, () -> {
            opened.set(true);
            return new ByteArrayInputStream(new byte[10]);
        }, 10, pool.toString(), "image-3.qcow2", bytes -> { }))
                .isInstanceOf(HostUnavailableException.class)
                .hasMessageContaining("host key of " + address)
                .hasMessageContaining("does not match known_hosts " + wrongKnownHosts);

        assertThat(opened).isFalse();
        assertThat(pool.resolve("image-3.qcow2")).doesNotExist();
        assertThat(pool.resolve(".image-3.qcow2.part")).doesNotExist();
    }

    @Test
    void aHostMissingFromKnownHostsIsRefused() {
        SftpImageTransfer unknown = new SftpImageTransfer(new SshSettings(clientKey, emptyKnownHosts, TIMEOUT));

        assertThatThrownBy(() -> unknown.upload(uri, () -> new ByteArrayInputStream(new byte[10]), 10,
                pool.toString(), "image-4.qcow2", bytes -> { }))
                .isInstanceOf(HostUnavailableException.class)
                .hasMessageContaining("host key of " + address)
                .hasMessageContaining("is not in known_hosts");
        assertThat(pool.resolve("image-4.qcow2")).doesNotExist();
    }

    @Test
    void aKeyTheHostDoesNotAuthorizeIsRefused() {
        SftpImageTransfer stranger = new SftpImageTransfer(new SshSettings(otherKey, knownHosts, TIMEOUT));

        assertThatThrownBy(() -> stranger.upload("edge-5", uri, () -> new ByteArrayInputStream(new byte[10]), 10,
                pool.toString(), "image-5.qcow2", bytes -> { }))
                .isInstanceOf(HostUnavailableException.class)
                .satisfies(e -> assertThat(((HostUnavailableException) e).hostId()).isEqualTo("edge-5"))
                .hasMessageStartingWith("Edge host 'edge-5' is unreachable: SSH login as ")
                .hasMessageContaining("refused")
                .hasMessageContaining("authentication failed")
                .hasMessageContaining(otherKey.toString());
        assertThat(pool.resolve("image-5.qcow2")).doesNotExist();
    }

    @Test
    void aRefusedConnectionMakesTheHostUnavailable() throws IOException {
        String closed = "ssh://root@" + address + ":" + freePort(address);

        assertThatThrownBy(() -> transfer.upload(closed, () -> new ByteArrayInputStream(new byte[10]), 10,
                pool.toString(), "image-6.qcow2", bytes -> { }))
                .isInstanceOf(HostUnavailableException.class)
                .hasMessageContaining("connection to " + address + " port")
                .hasMessageContaining("refused");
    }

    @Test
    void aSourceFailingMidwayLeavesNeitherFileNorPartFile() {
        long size = 8L * MIB;
        InputStream failing = new InputStream() {
            private final byte[] chunk = randomBytes(64 * 1024);
            private long delivered;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (delivered >= 3L * MIB) {
                    throw new IOException("simulated disk failure");
                }
                int n = Math.min(len, chunk.length);
                System.arraycopy(chunk, 0, b, off, n);
                delivered += n;
                return n;
            }
        };
        List<Long> progress = new ArrayList<>();

        assertThatThrownBy(() -> transfer.upload(uri, () -> failing, size, pool.toString(), "image-7.qcow2",
                progress::add))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("simulated disk failure");

        assertThat(progress).isNotEmpty().allMatch(bytes -> bytes <= 3L * MIB);
        assertThat(pool.resolve("image-7.qcow2")).doesNotExist();
        assertThat(pool.resolve(".image-7.qcow2.part")).doesNotExist();
    }

    @Test
    void aSourceShorterThanAnnouncedFailsAndLeavesNothing() {
        byte[] content = randomBytes(1000);

        assertThatThrownBy(() -> transfer.upload(uri, () -> new ByteArrayInputStream(content), 2000,
                pool.toString(), "image-8.qcow2", bytes -> { }))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("ended after 1000 of the announced 2000 bytes");

        assertThat(pool.resolve("image-8.qcow2")).doesNotExist();
        assertThat(pool.resolve(".image-8.qcow2.part")).doesNotExist();
    }

    @Test
    void aMissingDirectoryIsABackendFailure() {
        assertThatThrownBy(() -> transfer.upload(uri, () -> new ByteArrayInputStream(new byte[10]), 10,
                pool.resolve("no-such-dir").toString(), "image-9.qcow2", bytes -> { }))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("no-such-dir/.image-9.qcow2.part");
    }

    @Test
    void fileNamesThatAreNotPlainNamesAreRejected() {
        for (String name : List.of("../x", "a/b", ".hidden", "..", "", "x\ny")) {
            assertThatThrownBy(() -> transfer.upload(uri, () -> fail("must not open the source"), 1, pool.toString(), name,
                    bytes -> { }))
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("plain name");
        }
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void sshUris() {
        assertThat(SftpImageTransfer.Target.parse("ssh://root@127.0.0.11"))
                .isEqualTo(new SftpImageTransfer.Target("root", "127.0.0.11", 22));
        assertThat(SftpImageTransfer.Target.parse("ssh://vim@edge-1.example:2222/"))
                .isEqualTo(new SftpImageTransfer.Target("vim", "edge-1.example", 2222));
        assertThat(SftpImageTransfer.Target.parse("ssh://root@[::1]:22"))
                .isEqualTo(new SftpImageTransfer.Target("root", "::1", 22));
        for (String bad : List.of("sftp://root@h", "ssh://h:22", "ssh://root@h/var/lib", "qemu+tcp://127.0.0.11/system")) {
            assertThatThrownBy(() -> SftpImageTransfer.Target.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SftpImageTransfer.Target.parse("ssh://root:secret@h"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void globCharactersInPathsAreEscapedForJsch() {
        assertThat(SftpImageTransfer.quote("/pool/a*b?c\\d")).isEqualTo("/pool/a\\*b\\?c\\\\d");
        assertThat(SftpImageTransfer.quote("/pool/plain.qcow2")).isEqualTo("/pool/plain.qcow2");
    }

    @Test
    void settingsNameAMissingFile() {
        Path missing = dir.resolve("no-such-key");
        assertThatThrownBy(() -> new SshSettings(missing, knownHosts, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new SftpImageTransfer(new SshSettings(knownHosts, knownHosts, TIMEOUT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a private key");
    }

    // ------------------------------------------------------------------------------ helpers

    private static Path keygen(String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        int exit = run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString());
        assertThat(exit).as("ssh-keygen " + name).isZero();
        return key;
    }

    private static Path pub(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish");
        }
        return p.exitValue();
    }

    /** A port nobody listens on at that address (sshd binds it right after: the race is harmless here). */
    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(String host, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!sshd.isAlive()) {
                fail("sshd exited with " + sshd.exitValue() + ":\n" + Files.readString(log, UTF_8));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        fail("sshd does not listen on " + host + ":" + port + ":\n" + Files.readString(log, UTF_8));
    }

    private static Path randomFile(String name, int size) throws IOException {
        Random random = new Random(size);
        byte[] chunk = new byte[MIB];
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, Math.min(chunk.length, size - written));
            }
        }
        return file;
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

}
