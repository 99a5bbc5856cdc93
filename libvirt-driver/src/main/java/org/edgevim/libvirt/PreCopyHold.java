package org.edgevim.libvirt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.edgevim.core.error.ConflictException;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * Holds a live migration's pre-copy open -- the target kept in sync with the running source --
 * until it is released (a memory shadow), then lets it switch over at once.
 *
 * <p>Why a control loop is needed (QEMU 10, measured in the lab; see docs/memory-shadow.md): QEMU
 * re-syncs its dirty bitmap each time it has sent the remainder of the previous sync, and switches
 * over when a sync finds less than {@code avail-switchover-bandwidth x downtime-limit} to send. We
 * set that threshold to about 1 KB (1 MiB/s x 1 ms), less than one page, so only a sync that finds
 * no page dirtied since the previous one can end the copy. At full speed the remainder is sent
 * within microseconds of a sync and the next sync then often finds nothing: the copy ends by
 * itself within a second or two even on a guest that dirties 20 MiB/s. libvirt also re-applies
 * its own parameters when the job starts, so ours are set over QMP once the job is active.
 *
 * <p>So this loop paces the sending with {@code max-bandwidth}, which QEMU enforces per 100 ms
 * window: every {@link #PERIOD_MS} ms it reads {@code query-migrate} and gives the next window a
 * budget a few 128 KiB flush steps short of the remainder, then windows at the floor rate for the
 * rest. The remainder is therefore never emptied in the window of the previous sync: syncs stay at
 * least 100 ms apart, and a guest that does anything at all dirties some page in that time. The
 * remainder (the shadow's lag) stays at about what the guest dirties in 300-400 ms. A guest that
 * writes nothing for that long may still converge: the VM then simply runs on the target, and
 * {@code migrate} returns as for an ordinary migration.
 *
 * <p>Release lifts the limit and starts post-copy: the source stops, the target runs at once and
 * pulls the pages it lacks, so the pause is the device state only, whatever the remainder.
 */
final class PreCopyHold {

    private static final Logger LOG = Logger.getLogger(PreCopyHold.class.getName());
    static final long PERIOD_MS = 10;
    private static final long PAGE = 4096;
    /** QEMU counts sent bytes per stream-buffer flush: about 32 pages. */
    private static final long STEP = 128 * 1024;
    /** Steps of the remainder left for the floor windows, so the sender never empties it early. */
    private static final double LEAVE_STEPS = 3.0;
    /** The lowest limit we set; QEMU still lets one step through per window. */
    private static final long FLOOR_BPS = 4096;
    /** Bytes per window at most while held: 40 MiB/s, the highest dirty rate a hold keeps in sync. */
    static final long DEFAULT_WINDOW_CAP = 4L * 1024 * 1024;
    /** With a 1 ms downtime limit, QEMU's switch-over threshold is ~1 KB: less than one page. */
    private static final long SWITCHOVER_BPS = 1024L * 1024;
    private static final long HOLD_DOWNTIME_MS = 1;
    private static final long UNLIMITED_BPS = 10_000_000_000L;
    /** A monitor that answers slower than this may make the loop miss a window: budget with care. */
    private static final long SLOW_SAMPLE_MS = 15;
    private static final long JOB_START_WAIT_MS = 60_000;

    private final Domain domain;
    private final String computeId;
    private final long windowCap;
    private final Thread thread;
    private boolean released;
    private boolean stopped;
    private boolean holdLost;

    // control state, touched by the loop thread only
    private Sample previous;
    private double bytesPerPage = PAGE + 8;
    private long limitBps = -1;

    PreCopyHold(Domain domain, String computeId, long windowCap) {
        this.domain = domain;
        this.computeId = computeId;
        this.windowCap = windowCap;
        this.thread = new Thread(this::run, "precopy-hold-" + computeId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops holding and switches over now; returns once post-copy was requested. */
    synchronized void release() {
        if (stopped) {
            throw new ConflictException("The migration of VM " + computeId + " has already ended");
        }
        if (released) {
            return;
        }
        released = true; // the loop sets no limit after this (it checks under this lock)
        thread.interrupt();
        try {
            QemuMonitor.command(domain, "migrate-set-parameters", Map.of("max-bandwidth", UNLIMITED_BPS));
        } catch (LibvirtException | RuntimeException e) {
            LOG.warning("VM " + computeId + ": could not lift the bandwidth limit before post-copy: " + e.getMessage());
        }
        PostCopy.start(domain);
        LOG.info(() -> "VM " + computeId + ": held pre-copy released, switching over (post-copy)");
    }

    /** Ends the loop; called when the migration call returned, before the domain handle is freed. */
    void stop() {
        synchronized (this) {
            stopped = true;
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized boolean ending() {
        return released || stopped;
    }

    private void run() {
        try {
            if (!awaitJob()) {
                return;
            }
            Map<String, Long> hold = new LinkedHashMap<>();
            hold.put("downtime-limit", HOLD_DOWNTIME_MS);
            hold.put("avail-switchover-bandwidth", SWITCHOVER_BPS);
            synchronized (this) {
                if (released || stopped) {
                    return;
                }
                QemuMonitor.command(domain, "migrate-set-parameters", hold);
            }
            LOG.info(() -> "VM " + computeId + ": pre-copy held (switch-over threshold ~1 KB, paced in 100 ms windows)");
            while (!ending()) {
                long t0 = System.nanoTime();
                Sample sample = Sample.read(domain);
                if (!"active".equals(sample.status())) {
                    leftHold(sample.status());
                    return;
                }
                synchronized (this) {
                    if (released || stopped) {
                        return;
                    }
                    control(sample);
                }
                long sleep = PERIOD_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
        } catch (InterruptedException e) {
            // released or stopped
        } catch (LibvirtException | RuntimeException e) {
            if (!ending()) {
                LOG.log(Level.WARNING, "VM " + computeId + ": the pre-copy hold stopped: " + e.getMessage());
            }
        }
    }

    /**
     * QEMU left pre-copy without a release: an idle guest gave a sync with nothing to send. At
     * pre-switchover (libvirt's pause before it completes the disk mirrors) the source is paused
     * but not yet given up: cancelling there resumes it on the source after a short pause, and
     * the shadow is rebuilt. If libvirt is faster, the VM switches over to the candidate.
     */
    private void leftHold(String status) {
        boolean converged = "pre-switchover".equals(status) || "device".equals(status) || "completed".equals(status);
        synchronized (this) {
            if (released || stopped || !converged) {
                LOG.info(() -> "VM " + computeId + ": held migration ended (" + status + ")");
                return;
            }
            if (!"completed".equals(status)) {
                try {
                    domain.abortJob();
                    holdLost = true;
                } catch (LibvirtException e) {
                    LOG.info(() -> "VM " + computeId + ": could not cancel the unreleased switch-over ("
                            + e.getMessage() + ")");
                }
            }
        }
        LOG.warning("VM " + computeId + ": the held copy reached switch-over by itself (" + status + "; the guest "
                + "dirtied no memory for ~100 ms)" + (holdLost ? ": cancel requested, to keep the VM on its source"
                : ": the VM moves to the candidate"));
    }

    /** Whether the hold cancelled a switch-over QEMU began by itself. */
    synchronized boolean holdLost() {
        return holdLost;
    }

    /** Waits until QEMU's migration is active (libvirt sets its own parameters before that). */
    private boolean awaitJob() throws LibvirtException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOB_START_WAIT_MS);
        while (!ending() && System.nanoTime() < deadline) {
            String status = Sample.read(domain).status();
            if ("active".equals(status)) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    /** One control step: the next windows' budget from the remainder (see the class comment). */
    private void control(Sample s) throws LibvirtException {
        Sample prev = previous;
        previous = s;
        if (prev == null) {
            return;
        }
        boolean senderIdle = s.transferred() == prev.transferred();
        long sentPages = (s.normalPages() - prev.normalPages()) + (s.zeroPages() - prev.zeroPages());
        if (sentPages > 256 && s.syncs() > 1) {
            // learnt low on purpose (zero pages cost a few bytes): the budget must not overshoot
            double observed = (double) (s.transferred() - prev.transferred()) / sentPages;
            bytesPerPage = 0.7 * bytesPerPage + 0.3 * Math.min(PAGE + 8, observed);
        }
        double remainder = s.remaining() / (double) PAGE * bytesPerPage;
        double budget = remainder - LEAVE_STEPS * STEP;
        if (s.sampleMs() > SLOW_SAMPLE_MS || prev.sampleMs() > SLOW_SAMPLE_MS) {
            budget = Math.min(budget, remainder / 2); // a missed window cannot empty the remainder
        }
        double window;
        if (s.syncs() <= 1 && budget >= windowCap) {
            window = budget;                           // first pass: full speed until its tail
        } else if (budget > STEP) {
            window = Math.min(windowCap, budget);      // drain all but a few steps
        } else {
            window = 0;                                // floor: one step per window, then sync
        }
        long want = Math.max(FLOOR_BPS, (long) (10 * window));
        // raise only while the sender sleeps (its window is spent); lower at any time
        if (senderIdle || limitBps < 0 || want < limitBps) {
            if (want != limitBps) {
                QemuMonitor.command(domain, "migrate-set-parameters", Map.of("max-bandwidth", want));
                limitBps = want;
            }
        }
    }

    /** The figures of query-migrate the loop steers by. */
    private record Sample(String status, long remaining, long transferred, long syncs, long normalPages,
                          long zeroPages, long sampleMs) {

        static Sample read(Domain domain) throws LibvirtException {
            long t0 = System.nanoTime();
            String reply = QemuMonitor.command(domain, "query-migrate", Map.of());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            return new Sample(QemuMonitor.string(reply, "status"), QemuMonitor.number(reply, "remaining"),
                    QemuMonitor.number(reply, "transferred"), QemuMonitor.number(reply, "dirty-sync-count"),
                    QemuMonitor.number(reply, "normal"), QemuMonitor.number(reply, "duplicate"), ms);
        }
    }
}
