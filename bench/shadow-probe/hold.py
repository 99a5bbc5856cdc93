#!/usr/bin/python3
"""hold.py -- hold a live-migration pre-copy open through libvirt, then release it, cancel it or
leave it alone, and measure everything. One JSON object per run is appended to results/<tag>.jsonl.

  /usr/bin/python3 bench/shadow-probe/hold.py --mech loop-qmp --hold 60 --action release-postcopy \
      --postcopy --runs 5 --tag loop-postcopy

Hold mechanisms (--mech):
  none               libvirt defaults (--bandwidth 1000 MiB/s, downtime 300 ms): a plain migration
  bw-above           --bandwidth BW (MiB/s, default 22) just above the 20 MiB/s dirty rate, then
                     virDomainMigrateSetMaxDowntime(1 ms) once the job is active
  switchover-qmp     --bandwidth 1000, downtime 1 ms (API), then QMP migrate-set-parameters
                     avail-switchover-bandwidth=1000 B/s once the job is active
  switchover-libvirt --bandwidth 1000 --available-switchover-bandwidth 1 (MiB/s, libvirt's typed
                     parameter VIR_MIGRATE_PARAM_BANDWIDTH_AVAIL_SWITCHOVER), downtime 1 ms (API)
  loop-qmp           switchover-libvirt + a 10 ms control loop that sets QMP max-bandwidth (bytes/s)
                     so that dirty-bitmap syncs stay >= 100 ms apart (see Controller, --policy)
  loop-libvirt       the same loop through virDomainMigrateSetMaxSpeed (MiB/s granularity, >= 1 MiB/s)

Actions after the hold (--action):
  release-postcopy      virDomainMigrateStartPostCopy (needs --postcopy)
  release-postcopy-bw   QMP max-bandwidth 10 GB/s, then virDomainMigrateStartPostCopy
  release-precopy       virDomainMigrateSetMaxSpeed(100000 MiB/s) + virDomainMigrateSetMaxDowntime(
                        --release-downtime ms): the threshold (1 MiB/s x downtime) then exceeds the
                        remainder and pre-copy completes at QEMU's next window
  release-precopy-bwfirst  virDomainMigrateSetMaxSpeed(100000 MiB/s) only; --bwfirst-wait ms later
                        virDomainMigrateSetMaxDowntime as a backstop
  release-precopy-qmp   QMP avail-switchover-bandwidth 10 GB/s + max-bandwidth 10 GB/s + downtime
                        (one migrate-set-parameters)
  cancel                virDomainAbortJob
  none                  destroy everything after the hold (hold-only measurements)
"""

import argparse
import json
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import libvirt  # noqa: E402
from shadowlab import (Lab, ConsoleTail, console_path, qmp, now, pct, MIB, RESULTS)  # noqa: E402

ACTIVE = ("active",)
TRACE_EVENTS = ["migration_rate_limit_pre", "migration_rate_limit_post", "migration_bitmap_sync_start",
                "migration_bitmap_sync_end", "migrate_transferred", "migrate_pending_exact",
                "migration_thread_low_pending", "postcopy_start", "postcopy_start_set_run"]
FLOOR_BPS = 4096            # QMP floor: QEMU still sends one 128 KiB flush (32 pages) per 100 ms window
BIG_BPS = 10 * 1000 ** 3    # "unlimited" for a release
BIG_MIBPS = 100000          # the same through virDomainMigrateSetMaxSpeed (MiB/s)


GRANULE = 128 * 1024        # QEMU counts sent bytes per stream-buffer flush: ~128 KiB (32 pages) steps


class Controller:
    """Holds a pre-copy open with a small remainder, through max-bandwidth alone.

    What it relies on (QEMU 10, see docs/memory-shadow.md and ratelimit_probe.py):
    - QEMU syncs the dirty bitmap only when the synced remainder r has been sent (its pending
      estimate then falls under the threshold avail-switchover-bandwidth x downtime-limit =
      1 MiB/s x 1 ms ~ 1 KB) and completes when that sync finds nothing new (pending == 0). Two
      syncs close together therefore end the hold whenever the guest pauses its writes briefly.
    - max-bandwidth works in 100 ms windows: the migration thread sends until the bytes counted in
      this window exceed max-bandwidth/10, then sleeps until the window ends. Bytes are counted when
      the stream buffer is flushed, in ~128 KiB steps; a budget below one page still lets one step
      (~32 pages) through per window ("floor").
    - If the thread empties r with budget left, it syncs at once and goes on sending with what is
      left: a second sync follows within microseconds if the guest wrote little meanwhile.

    policy "safe" (default): a sync may only happen at the start of a window whose budget is the
    floor, so it is always >= 100 ms after the previous one and is never followed by another in the
    same window, whatever the guest does. Cycle of three 100 ms windows:
      W1: sync + floor;  W2: budget = bytes(r) - 3 steps (leaves a remainder d of a few steps: the
      estimate of bytes(r) is not exact, zero pages cost ~9 bytes);  W3 (and maybe W4): floor
      sends d (the thread then sleeps with r = 0);  next window: sync (W1).
    Remainder: about dirty rate x 300-400 ms.
    policy "fast": budget = bytes(r) + margin: the thread sends r, syncs at the end of the burst
    and stops after at most margin + one step of new data. One sync per window, remainder about
    dirty rate x 100 ms, but the hold ends if the guest wrote less than margin + one step during
    a window and then nothing for a few microseconds.
    Both cap the budget at `cap` bytes per window: it must stay well below what the link carries in
    100 ms, or the budget stops binding and the thread syncs back-to-back; 10 x cap per second is
    also the highest dirty rate that can be held.
    The controller only raises the limit while the thread sleeps ('transferred' did not move since
    the previous sample); it may lower it at any time.
    """

    def __init__(self, dom, via, policy, margin, floor_bps, cap, leave=3.0):
        self.leave = leave          # 'safe': steps (~128 KiB) of r left for the floor windows
        self.dom = dom
        self.via = via              # "qmp" (bytes/s) or "libvirt" (virDomainMigrateSetMaxSpeed, MiB/s)
        self.policy = policy
        self.margin = margin
        self.floor = floor_bps
        self.cap = cap
        self.prev = None
        self.bpp = 4104.0           # bytes on the wire per dirty page (normal page + header), learnt
        self.bps = None
        self.sets = 0
        self.mode = "first-pass"
        self.slow_ms = 15.0
        self.slow_samples = 0

    def set_bps(self, bps):
        if self.via == "libvirt":
            mib = max(1, int(bps // MIB))
            if self.bps == mib * MIB:
                return
            self.dom.migrateSetMaxSpeed(mib, 0)
            self.bps = mib * MIB
        else:
            bps = max(self.floor, int(bps))
            if self.bps == bps:
                return
            qmp(self.dom, "migrate-set-parameters", {"max-bandwidth": bps})
            self.bps = bps
        self.sets += 1

    def update(self, s):
        prev, self.prev = self.prev, s
        if prev is None:
            return
        syncs, r = s["dirty_sync_count"], s["remaining"] or 0      # r in bytes (pages x 4096)
        pages = r / 4096.0
        quiet = s["transferred"] == prev["transferred"]
        sent = (s["normal"] or 0) - (prev["normal"] or 0) + (s["duplicate"] or 0) - (prev["duplicate"] or 0)
        if sent > 256 and syncs > 1:
            # low estimate on purpose (zero pages cost ~9 bytes): 'safe' must not overshoot r
            self.bpp = 0.7 * self.bpp + 0.3 * min(4104.0, (s["transferred"] - prev["transferred"]) / sent)
        est = pages * self.bpp
        if self.policy == "fast":
            self.mode = "first-pass" if syncs <= 1 else "drain"
            budget = est + self.margin
            if syncs > 1 or budget < self.cap:
                budget = min(self.cap, budget)
        else:
            budget = est - self.leave * GRANULE
            if s.get("qmp_ms", 0) > self.slow_ms or (prev.get("qmp_ms", 0) > self.slow_ms):
                # the monitor answers late (host CPU contention): this controller may miss the
                # gap between two windows, and the next window then runs with this budget
                # against an r that the current window already reduced. Leave r/2: one missed
                # update cannot empty r.
                budget = min(budget, est / 2.0)
                self.slow_samples += 1
            if syncs <= 1 and budget >= self.cap:
                self.mode = "first-pass"            # full speed until the tail of the first pass
            elif budget > GRANULE:
                self.mode = "drain"
                budget = min(self.cap, budget)
            else:
                self.mode = "floor"                 # r small or zero: one step per window
                budget = 0
        want = 10 * budget
        if quiet or self.bps is None or want < self.bps:
            self.set_bps(want)


class Sampler(threading.Thread):
    """Samples query-migrate every `period` (and runs the controller, if any) until stopped or the
    job leaves 'active'. It keeps running while an action is issued, so the hold is kept up to the
    very moment of the release."""

    def __init__(self, lab, dom, period, ctl, abort_on_preswitchover=False):
        super().__init__(daemon=True)
        self.abort_on_pre = abort_on_preswitchover
        self.abort = None
        self.lab, self.dom, self.period, self.ctl = lab, dom, period, ctl
        self.trace = []
        self.params_seen = []
        self.error = None
        self.control_error = None
        self.left_active = None
        self.stop_flag = False
        self.control = True                 # cleared at the release: from then on only sample
        self.t0 = now()

    def run(self):
        next_params = self.t0
        while not self.stop_flag:
            try:
                s = self.lab.sample(self.dom)
            except (libvirt.libvirtError, RuntimeError) as e:
                self.error = str(e)
                break
            if self.ctl and self.control and s["status"] in ACTIVE:
                try:
                    self.ctl.update(s)
                except (libvirt.libvirtError, RuntimeError) as e:
                    self.control_error = str(e)
                s["bps"] = self.ctl.bps
                s["mode"] = self.ctl.mode
            self.trace.append(s)
            if s["status"] not in ACTIVE:
                self.left_active = {"t": s["t"] - self.t0, "t_abs": s["t"], "status": s["status"]}
                if self.abort_on_pre and s["status"] == "pre-switchover":
                    # QEMU stopped the source VM and waits for libvirt's migrate-continue: try to
                    # cancel first (libvirt cancels its NBD mirrors before it continues)
                    t = now()
                    try:
                        self.dom.abortJob()
                        self.abort = {"seen_after_sample_ms": (t - s["t"]) * 1000, "call_ms": (now() - t) * 1000,
                                      "t_abs": t}
                    except libvirt.libvirtError as e:
                        self.abort = {"error": str(e), "t_abs": t}
                break
            if now() >= next_params:       # does libvirt reset what we set over QMP mid-job?
                try:
                    p = qmp(self.dom, "query-migrate-parameters")
                    self.params_seen.append({"t": round(now() - self.t0, 3), "max-bandwidth": p["max-bandwidth"],
                                             "downtime-limit": p["downtime-limit"],
                                             "avail-switchover-bandwidth": p["avail-switchover-bandwidth"]})
                except (libvirt.libvirtError, RuntimeError):
                    pass
                next_params += 1.0
            time.sleep(self.period)


def hold_phase(lab, dom, args, res):
    """Start the sampler (and controller) and wait args.hold seconds; returns (sampler, held)."""
    ctl = None
    if args.mech.startswith("loop"):
        ctl = Controller(dom, "libvirt" if args.mech == "loop-libvirt" else "qmp",
                         args.policy, args.margin, FLOOR_BPS, args.cap, args.leave)
        res["ctl"] = {"policy": args.policy, "margin": args.margin, "period_ms": args.period, "cap": args.cap,
                      "leave": args.leave}
    smp = Sampler(lab, dom, args.period / 1000.0, ctl, args.abort_on_preswitchover)
    smp.start()
    end = smp.t0 + args.hold
    while now() < end and smp.is_alive():
        time.sleep(0.05)
    held = smp.is_alive()
    res["held_s"] = (smp.left_active["t_abs"] if smp.left_active else now()) - smp.t0
    res["held"] = held
    if not held:
        res["left_active"] = smp.left_active
        res["hold_error"] = smp.error
        res["preswitchover_abort"] = smp.abort
    return smp, held


def finish_trace(smp, res):
    smp.stop_flag = True
    smp.join(5)
    t0 = smp.t0
    res["controller_sets"] = smp.ctl.sets if smp.ctl else 0
    res["controller_slow_samples"] = smp.ctl.slow_samples if smp.ctl else 0
    lat = sorted(s.get("qmp_ms", 0) for s in smp.trace)
    if lat:
        res["qmp_ms_p50"], res["qmp_ms_p95"], res["qmp_ms_max"] = lat[len(lat) // 2], lat[int(len(lat) * 0.95)], lat[-1]
    res["control_error"] = smp.control_error
    res["trace_cols"] = ["t", "status", "remaining", "transferred", "dirty_sync_count", "dirty_pages_rate",
                         "max_bandwidth_set", "normal", "duplicate", "mode"]
    res["trace"] = [[round(s["t"] - t0, 4), s["status"], s["remaining"], s["transferred"],
                     s["dirty_sync_count"], s["dirty_pages_rate"], s.get("bps"), s["normal"], s["duplicate"],
                     s.get("mode")] for s in smp.trace]
    res["params_seen"] = smp.params_seen


def window_phase(rows, t_cmd_rel):
    """QEMU's rate limiter sends a window's budget in a burst right after each 100 ms window starts:
    the last sample before the command whose 'transferred' rose marks (to within the sampling period)
    the start of the window the command landed in. Returns ms since then, modulo 100."""
    last_jump = None
    for prev, cur in zip(rows, rows[1:]):
        if cur[0] > t_cmd_rel:
            break
        if cur[3] is not None and prev[3] is not None and cur[3] > prev[3]:
            last_jump = cur[0]
    return None if last_jump is None else ((t_cmd_rel - last_jump) * 1000) % 100.0


def do_action(lab, dom, name, args, res, smp):
    action = args.action
    t_cmd = None
    if action == "none":
        return
    # the hold lasted a whole number of seconds: land the command at a random point of QEMU's window
    time.sleep(random.uniform(0, 0.1))
    smp.control = False
    smp.stop_flag = True
    smp.join(1)
    if action == "cancel":
        t_cmd = now()
        dom.abortJob()
        t_ret = now()
        res["abort_call_ms"] = (t_ret - t_cmd) * 1000
    elif action.startswith("release"):
        t_cmd = now()
        if action == "release-postcopy":
            dom.migrateStartPostCopy(0)
        elif action == "release-postcopy-bw":
            qmp(dom, "migrate-set-parameters", {"max-bandwidth": BIG_BPS})
            dom.migrateStartPostCopy(0)
        elif action == "release-precopy":
            # the limit first (QEMU applies both at its next 100 ms window), then a threshold of
            # avail-switchover-bandwidth (1 MiB/s) x downtime that exceeds the whole remainder
            dom.migrateSetMaxSpeed(BIG_MIBPS, 0)
            dom.migrateSetMaxDowntime(args.release_downtime, 0)
        elif action == "release-precopy-bwfirst":
            # only the limit: the thread then sends the remainder live at full speed and syncs
            # back-to-back, which ends in a sync that finds (almost) nothing -- the convergence a
            # hold must avoid is the cheapest switch-over; a larger threshold later as a backstop
            dom.migrateSetMaxSpeed(BIG_MIBPS, 0)
            res["release_call_ms"] = (now() - t_cmd) * 1000
            time.sleep(args.bwfirst_wait / 1000.0)
            try:
                dom.migrateSetMaxDowntime(args.release_downtime, 0)
                res["backstop_used"] = True
            except libvirt.libvirtError as e:
                res["backstop_used"] = "no: " + str(e)[:80]
        elif action == "release-precopy-qmp":
            qmp(dom, "migrate-set-parameters", {"avail-switchover-bandwidth": BIG_BPS,
                                                "max-bandwidth": BIG_BPS,
                                                "downtime-limit": args.release_downtime})
        res.setdefault("release_call_ms", (now() - t_cmd) * 1000)
    else:
        raise SystemExit("unknown action " + action)
    res["t_cmd"] = t_cmd


def measure_release(lab, name, res, src_tail, dst_tail, proc):
    t_cmd = res["t_cmd"]
    ev = lab.dst_events.wait_for(name, "resumed", t_cmd, 60)
    if ev is None:
        res["dst_events"] = [(round((e[0] - t_cmd) * 1000, 2), e[2], str(e[3])) for e in lab.dst_events.since(name, t_cmd - 1)]
        res["src_events"] = [(round((e[0] - t_cmd) * 1000, 2), e[2], str(e[3])) for e in lab.src_events.since(name, t_cmd - 1)]
        res["release_ok"] = False
        return
    res["release_ok"] = True
    res["exec_to_running_ms"] = (ev[0] - t_cmd) * 1000
    sus = lab.src_events.wait_for(name, "suspended", t_cmd, 5)
    if sus:
        res["exec_to_src_paused_ms"] = (sus[0] - t_cmd) * 1000
    out, err = proc.communicate(timeout=120)
    res["virsh_rc"], res["virsh_err"] = proc.returncode, err.strip()
    res["exec_to_virsh_exit_ms"] = (now() - t_cmd) * 1000   # upper bound (we waited for events first)
    # QEMU's downtime etc.: the source's VIR_DOMAIN_EVENT_ID_JOB_COMPLETED carries the job statistics
    jc = lab.src_events.wait_for(name, "job-completed", t_cmd, 30)
    if jc:
        st = jc[3]
        res["completed_stats"] = {k: st.get(k) for k in (
            "downtime", "downtime_net", "time_elapsed", "setup_time", "memory_iteration",
            "memory_processed", "memory_remaining", "memory_dirty_rate", "memory_postcopy_requests",
            "disk_processed") if k in st}
        res["exec_to_job_completed_ms"] = (jc[0] - t_cmd) * 1000
    try:
        d = lab.dst.lookupByName(name)
        st = d.jobStats(libvirt.VIR_DOMAIN_JOB_STATS_COMPLETED)
        res["dst_completed_stats"] = {k: st.get(k) for k in ("downtime", "downtime_net", "time_elapsed",
                                                               "memory_iteration") if k in st}
        res["dst_state"] = d.state()
    except libvirt.libvirtError as e:
        res["completed_stats_error"] = str(e)
    # guest alive on the target, same boot, tick counter continuing
    time.sleep(3.5)
    res["dst_events"] = [(round((e[0] - t_cmd) * 1000, 2), e[2], str(e[3])) for e in lab.dst_events.since(name, t_cmd - 1)
                         if e[2] != "job-completed"]
    res["src_events"] = [(round((e[0] - t_cmd) * 1000, 2), e[2], str(e[3])) for e in lab.src_events.since(name, t_cmd - 1)
                         if e[2] != "job-completed"]
    src_ticks, dst_ticks = src_tail.ticks(), dst_tail.ticks()
    res["src_last_tick"] = src_ticks[-1][1:] if src_ticks else None
    res["dst_ticks"] = [x[1:] for x in dst_ticks[:4]]
    if src_ticks and dst_ticks:
        last, first = src_ticks[-1], dst_ticks[0]
        res["guest_intact"] = (first[2] == last[2] and first[1] == last[1] + 1 and len(dst_ticks) >= 2)
        res["tick_gap_ms"] = (first[0] - last[0]) * 1000
    else:
        res["guest_intact"] = False


def measure_cancel(lab, name, res, src_tail, proc):
    t_cmd = res["t_cmd"]
    out, err = proc.communicate(timeout=120)
    res["exec_to_virsh_exit_ms"] = (now() - t_cmd) * 1000
    res["virsh_rc"], res["virsh_err"] = proc.returncode, err.strip()
    # target: domain gone
    gone_at = None
    while now() - t_cmd < 30:
        try:
            lab.dst.lookupByName(name)
        except libvirt.libvirtError:
            gone_at = now()
            break
        time.sleep(0.002)
    res["exec_to_dst_gone_ms"] = (gone_at - t_cmd) * 1000 if gone_at else None
    res["dst_events"] = [(round((e[0] - t_cmd) * 1000, 2), e[2], e[3]) for e in lab.dst_events.since(name, t_cmd - 1)]
    res["src_events"] = [(round((e[0] - t_cmd) * 1000, 2), e[2], str(e[3])) for e in lab.src_events.since(name, t_cmd - 1)]
    d = lab.src.lookupByName(name)
    res["src_state"] = d.state()
    try:
        res["src_job_after"] = d.jobInfo()[0]
    except libvirt.libvirtError as e:
        res["src_job_after"] = str(e)
    time.sleep(3.5)
    ticks = src_tail.ticks()
    before = [x for x in ticks if x[0] < t_cmd]
    after = [x for x in ticks if x[0] >= t_cmd]
    res["src_ticks_after"] = [x[1:] for x in after[:4]]
    res["source_intact"] = bool(before and len(after) >= 2 and after[0][1] == before[-1][1] + 1
                                and after[0][2] == before[-1][2] and res["src_state"][0] == libvirt.VIR_DOMAIN_RUNNING)


def run_one(lab, args, i):
    name = "shadow-%s-%d-%d" % (args.tag, os.getpid(), i)
    res = {"tag": args.tag, "run": i, "name": name, "mech": args.mech, "action": args.action,
           "postcopy": args.postcopy, "dirty_mibps": args.dirty, "hold_target_s": args.hold,
           "disk": args.disk, "persist": not args.no_persist, "wall_start": time.strftime("%Y-%m-%dT%H:%M:%S"),
           "loadavg_start": os.getloadavg()}
    for h in (1, 2):
        try:
            os.unlink(console_path(h, name))
        except OSError:
            pass
    dom, boot_s = lab.create_guest(name, args.dirty, args.buf, disk=args.disk)
    res["boot_s"] = boot_s
    time.sleep(args.settle)
    src_tail = ConsoleTail(console_path(1, name))
    dst_tail = ConsoleTail(console_path(2, name))
    extra = ["--bandwidth", str(args.bw if args.mech == "bw-above" else 1000)]
    if args.mech in ("switchover-libvirt", "loop-qmp", "loop-libvirt"):
        extra += ["--available-switchover-bandwidth", "1"]
    proc, t_mig, cmd = lab.start_migration(name, extra, postcopy=args.postcopy, disk=args.disk,
                                           persistent=not args.no_persist)
    res["virsh_cmd"] = " ".join(cmd)
    try:
        t_act, st = lab.wait_job_active(dom)
        res["job_active_after_s"] = t_act - t_mig
        if args.mech != "none":
            dom.migrateSetMaxDowntime(1, 0)
        if args.mech == "switchover-qmp":
            qmp(dom, "migrate-set-parameters", {"avail-switchover-bandwidth": 1000})
        if args.trace:
            # QEMU's own trace points (log backend -> the domain's log, /var/log/libvirt/qemu/NAME.log)
            for ev in TRACE_EVENTS:
                qmp(dom, "trace-event-set-state", {"name": ev, "enable": True})
        res["params_at_start"] = qmp(dom, "query-migrate-parameters")
        res["caps"] = sorted(c["capability"] for c in qmp(dom, "query-migrate-capabilities") if c["state"])
        smp, held = hold_phase(lab, dom, args, res)
        if held and args.action != "none":
            do_action(lab, dom, name, args, res, smp)
            finish_trace(smp, res)
            res["window_phase_ms"] = window_phase(res["trace"], res["t_cmd"] - smp.t0)
            res["sampler_left_active"] = smp.left_active
            if args.action == "cancel":
                measure_cancel(lab, name, res, src_tail, proc)
            else:
                measure_release(lab, name, res, src_tail, dst_tail, proc)
        else:
            finish_trace(smp, res)
        if not held:
            out, err = proc.communicate(timeout=120)
            res["virsh_rc"], res["virsh_err"] = proc.returncode, err.strip()
            # where is the VM now?
            for side, conn in (("src", lab.src), ("dst", lab.dst)):
                try:
                    d = conn.lookupByName(name)
                    res[side + "_state_after"] = d.state()
                except libvirt.libvirtError:
                    res[side + "_state_after"] = None
            if smp.abort:
                time.sleep(3)
                ticks = src_tail.ticks()
                res["src_ticks_after_abort"] = [x[1:] for x in ticks if x[0] > smp.abort["t_abs"]][:4]
            res["src_events"] = [(round(e[0] - t_mig, 3), e[2], str(e[3])) for e in lab.src_events.since(name, t_mig)]
            res["dst_events"] = [(round(e[0] - t_mig, 3), e[2], str(e[3])) for e in lab.dst_events.since(name, t_mig)]
    finally:
        src_ticks = src_tail.ticks()
        hold_ticks = [x for x in src_ticks if x[0] >= t_mig and x[0] < t_mig + (res.get("held_s") or 0) + (res.get("job_active_after_s") or 0)]
        res["src_ticks_during_hold"] = len(hold_ticks)
        if len(hold_ticks) >= 2:
            gaps = [(b[0] - a[0]) for a, b in zip(hold_ticks, hold_ticks[1:])]
            res["src_tick_gap_max_s"] = max(gaps)
            res["src_tick_ids"] = sorted(set(x[2] for x in hold_ticks))
        src_tail.stop()
        dst_tail.stop()
        if proc.poll() is None:
            try:
                dom.abortJob()
            except libvirt.libvirtError:
                pass
            proc.communicate(timeout=120)
        res["loadavg_end"] = os.getloadavg()
        if args.trace:
            import shutil
            os.makedirs(os.path.join(RESULTS, "traces"), exist_ok=True)
            src_log = os.path.join(os.path.dirname(console_path(1, name)), name + ".log")
            try:
                shutil.copy(src_log, os.path.join(RESULTS, "traces", name + ".src.log"))
            except OSError:
                pass
        lab.cleanup_guest(name)
    return res


def summarize(results, key):
    v = [r[key] for r in results if r.get(key) is not None]
    if not v:
        return None
    return {"n": len(v), "p50": round(pct(v, 50), 2), "p95": round(pct(v, 95), 2),
            "min": round(min(v), 2), "max": round(max(v), 2), "raw": [round(x, 2) for x in v]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mech", default="loop-qmp",
                    choices=["none", "bw-above", "switchover-qmp", "switchover-libvirt", "loop-qmp", "loop-libvirt"])
    ap.add_argument("--action", default="none",
                    choices=["none", "cancel", "release-postcopy", "release-postcopy-bw", "release-precopy",
                             "release-precopy-bwfirst", "release-precopy-qmp"])
    ap.add_argument("--hold", type=float, default=60, help="seconds to hold")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--tag", default="probe")
    ap.add_argument("--postcopy", action="store_true")
    ap.add_argument("--dirty", type=int, default=20, help="guest dirty rate MiB/s (0: no dirtier)")
    ap.add_argument("--buf", type=int, default=128, help="guest dirty buffer MiB")
    ap.add_argument("--bw", type=int, default=22, help="bandwidth MiB/s for bw-above")
    ap.add_argument("--policy", default="safe", choices=["safe", "fast"], help="loop: see Controller")
    ap.add_argument("--margin", type=int, default=128 * 1024, help="loop: bytes allowed beyond the remainder per window")
    ap.add_argument("--leave", type=float, default=3.0, help="loop safe: ~128 KiB steps left to the floor windows")
    ap.add_argument("--cap", type=int, default=4 * 1024 * 1024, help="loop: bytes per 100 ms window at most")
    ap.add_argument("--period", type=float, default=10, help="sampling/control period ms")
    ap.add_argument("--release-downtime", type=int, default=20000,
                    help="ms for release-precopy*: threshold = 1 MiB/s x this must exceed the remainder")
    ap.add_argument("--bwfirst-wait", type=float, default=30, help="ms before the backstop of release-precopy-bwfirst")
    ap.add_argument("--disk", default="nbd", choices=["nbd", "shared"],
                    help="nbd: overlay in each host's pool + --copy-storage-inc; shared: one overlay both hosts see + --unsafe")
    ap.add_argument("--no-persist", action="store_true", help="without --persistent --undefinesource")
    ap.add_argument("--trace", action="store_true", help="enable QEMU migration trace points (domain log)")
    ap.add_argument("--abort-on-preswitchover", action="store_true",
                    help="if the job is seen in pre-switchover (an unwanted convergence), abort it at once")
    ap.add_argument("--settle", type=float, default=3, help="seconds between boot and migration")
    args = ap.parse_args()
    os.makedirs(RESULTS, exist_ok=True)
    lab = Lab()
    out = os.path.join(RESULTS, args.tag + ".jsonl")
    results = []
    for i in range(args.runs):
        r = run_one(lab, args, i)
        results.append(r)
        with open(out, "a") as f:
            f.write(json.dumps(r) + "\n")
        brief = {k: r.get(k) for k in ("run", "held", "held_s", "left_active", "exec_to_running_ms",
                                       "exec_to_src_paused_ms", "window_phase_ms", "exec_to_virsh_exit_ms",
                                       "exec_to_dst_gone_ms", "abort_call_ms", "guest_intact", "source_intact",
                                       "tick_gap_ms", "src_tick_gap_max_s", "virsh_err")}
        if r.get("completed_stats"):
            brief["downtime"] = r["completed_stats"].get("downtime")
            brief["iter"] = r["completed_stats"].get("memory_iteration")
        tr = r.get("trace") or []
        if tr:
            rem = [x[2] for x in tr if x[2] is not None]
            brief["remaining_p50_MiB"] = round(pct(rem, 50) / MIB, 2)
            brief["remaining_max_MiB"] = round(max(rem) / MIB, 2)
            brief["syncs"] = tr[-1][4]
        print(json.dumps(brief), flush=True)
    for key in ("exec_to_running_ms", "exec_to_src_paused_ms", "exec_to_dst_gone_ms", "abort_call_ms", "held_s"):
        s = summarize(results, key)
        if s:
            print(key, json.dumps(s))


if __name__ == "__main__":
    main()
