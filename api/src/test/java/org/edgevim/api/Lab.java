package org.edgevim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real lab started by {@code lab-setup/lab up}: host edge-N listens on 127.0.0.(10+N), and its
 * /var/log/libvirt is {@code <lab dir>/hosts/edge-N/log} on this machine, so a test can read a
 * guest's serial console from outside, as an operator would.
 */
final class Lab {

    static final Path DIR = Path.of(System.getProperty("lab.dir", "../lab-setup/.lab")).toAbsolutePath();
    private static final Pattern TICK = Pattern.compile("vim-guest tick (\\d+) id=([0-9a-f]+)");

    private Lab() {
    }

    static String uri(int host) {
        return "qemu+tcp://127.0.0.1" + host + "/system";
    }

    /** The lab host's sshd, through which the VIM copies images over SFTP. */
    static String sshUri(int host) {
        return "ssh://root@127.0.0.1" + host + ":22";
    }

    static Path consoleLog(String hostId, String computeId) {
        return DIR.resolve("hosts").resolve(hostId).resolve("log/qemu").resolve(computeId + ".console.log");
    }

    /** The last tick the guest printed: its counter and boot id, or null before the first. */
    static Tick lastTick(String hostId, String computeId) {
        Path log = consoleLog(hostId, computeId);
        if (!Files.exists(log)) {
            return null;
        }
        try {
            Tick last = null;
            Matcher m = TICK.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
            while (m.find()) {
                last = new Tick(Long.parseLong(m.group(1)), m.group(2));
            }
            return last;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    record Tick(long count, String bootId) {
    }

    /** Waits until the guest prints a tick that satisfies the condition, and returns it. */
    static Tick awaitTick(String hostId, String computeId, Duration timeout, java.util.function.Predicate<Tick> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Tick tick = null;
        while (System.nanoTime() < deadline) {
            tick = lastTick(hostId, computeId);
            if (tick != null && condition.test(tick)) {
                return tick;
            }
            sleep(Duration.ofMillis(250));
        }
        throw new AssertionError("guest " + computeId + " on " + hostId + " printed no matching tick within " + timeout
                + "; last: " + tick + " (console " + consoleLog(hostId, computeId) + ")");
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            sleep(Duration.ofMillis(200));
        }
    }

    /** Runs virsh against a lab host; returns its stdout, or fails the test with its stderr. */
    static String virsh(int host, String... args) {
        Result r = virshResult(host, args);
        assertThat(r.exitCode()).as("virsh %s: %s", List.of(args), r.err()).isZero();
        return r.out();
    }

    record Result(int exitCode, String out, String err) {
    }

    static Result virshResult(int host, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("virsh", "-q", "-c", uri(host)));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("virsh hung: " + command);
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                    new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code lab-setup/lab} with the given arguments (e.g. restart-daemon edge-1). */
    static void labCommand(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of("../lab-setup/lab").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("lab " + List.of(args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** True if the host has a domain of that name (running or not). */
    static boolean hasDomain(int host, String name) {
        return virshResult(host, "dominfo", name).exitCode() == 0;
    }

    /** True if the host's VIM pool has a volume of that name. */
    static boolean hasVolume(int host, String name) {
        virsh(host, "pool-refresh", "vim");
        return virsh(host, "vol-list", "vim").lines().anyMatch(l -> l.trim().startsWith(name + " "));
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
