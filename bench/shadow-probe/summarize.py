#!/usr/bin/python3
"""summarize.py [TAG...] -- tables from results/<tag>.jsonl (all q*.jsonl by default), in Markdown.

Per tag: how many runs held for the whole hold, how long the others lasted and how they ended;
the remainder (query-migrate ram.remaining) after the first pass, its value right after each
dirty-bitmap sync, the sync intervals; release latency (command -> the target's RESUMED event),
command -> source paused, QEMU's downtime (from libvirt's job statistics), guest intact; for a
cancel: abortJob call, virsh exit, target domain gone, source intact. p50/p95 use linear
interpolation; "raw" lists every run in order.
"""

import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, "results")
MIB = 1024 * 1024


def pct(v, p):
    v = sorted(v)
    if not v:
        return None
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def fmt(v, nd=1):
    return "-" if v is None else ("%.*f" % (nd, v))


def stat(values, nd=1):
    v = [x for x in values if x is not None]
    if not v:
        return "-"
    return "p50 %s / p95 %s (raw %s)" % (fmt(pct(v, 50), nd), fmt(pct(v, 95), nd),
                                         ", ".join(fmt(x, nd) for x in v))


def hold_figures(r):
    """From a run's trace: remainder after the first pass, at each sync, sync intervals."""
    tr = r.get("trace") or []
    if not tr:
        return None
    # after the first pass: from the third sync on (sync 2 carries everything dirtied during pass 1)
    steady = [x for x in tr if x[4] is not None and x[4] >= 3 and x[1] == "active"]
    after_sync, intervals, last_sync, last_t = [], [], None, None
    for x in steady:
        if x[4] != last_sync:
            if last_t is not None:
                intervals.append((x[0] - last_t) * 1000 / max(1, x[4] - last_sync))
            after_sync.append(x[2])
            last_sync, last_t = x[4], x[0]
    rem = [x[2] for x in steady if x[2] is not None]
    if not rem:
        return {"steady_s": 0}
    return {
        "steady_s": steady[-1][0] - steady[0][0],
        "rem_p50": pct(rem, 50) / MIB, "rem_p95": pct(rem, 95) / MIB, "rem_max": max(rem) / MIB,
        "sync_rem_p50": pct(after_sync, 50) / MIB if after_sync else None,
        "sync_rem_max": max(after_sync) / MIB if after_sync else None,
        "syncs": (steady[-1][4] - steady[0][4]) if steady else 0,
        "sync_int_p50": pct(intervals, 50) if intervals else None,
        "first_pass_s": steady[0][0],
    }


def per_10s(r):
    """(t, remaining MiB, dirty-sync-count) every 10 s of the hold: the 'over time' view."""
    tr = r.get("trace") or []
    out, nxt = [], 0.0
    for x in tr:
        if x[0] >= nxt:
            out.append("%ds: %s MiB, sync %s" % (int(x[0]), fmt((x[2] or 0) / MIB, 2), x[4]))
            nxt += 10.0
    return out


def main():
    tags = sys.argv[1:] or sorted(os.path.basename(p)[:-6] for p in glob.glob(os.path.join(RES, "q*.jsonl")))
    for tag in tags:
        runs = [json.loads(line) for line in open(os.path.join(RES, tag + ".jsonl"))]
        r0 = runs[0]
        print("### %s\n" % tag)
        print("`%s`  (mech %s, action %s, postcopy %s, disk %s, dirty %s MiB/s, hold %s s, %d runs)\n" % (
            r0.get("virsh_cmd", "").replace(r0["name"], "DOM"), r0["mech"], r0["action"], r0["postcopy"],
            r0["disk"], r0["dirty_mibps"], r0["hold_target_s"], len(runs)))
        held = [r for r in runs if r.get("held")]
        print("- held the whole %ss: %d/%d; held_s %s" % (r0["hold_target_s"], len(held), len(runs),
                                                          stat([r.get("held_s") for r in runs])))
        ends = [(round(r["left_active"]["t"], 2), r["left_active"]["status"]) for r in runs if r.get("left_active")]
        if ends:
            print("- ended by itself (t s, QEMU status seen): %s" % ends)
        aborts = [r.get("preswitchover_abort") for r in runs if r.get("preswitchover_abort")]
        if aborts:
            print("- pre-switchover seen and aborted: %d; source after: %s" % (
                len(aborts), [(r.get("src_state_after"), r.get("dst_state_after"), r.get("src_ticks_after_abort"))
                              for r in runs if r.get("preswitchover_abort")]))
        hf = [hold_figures(r) for r in runs]
        hf = [h for h in hf if h and h.get("steady_s")]
        if hf:
            print("- first pass (s): %s" % stat([h["first_pass_s"] for h in hf], 2))
            print("- remainder after the first pass, MiB: p50 of runs' p50 %s, runs' p95 %s, max %s" % (
                fmt(pct([h["rem_p50"] for h in hf], 50), 2), ", ".join(fmt(h["rem_p95"], 2) for h in hf),
                fmt(max(h["rem_max"] for h in hf), 2)))
            print("- remainder right after a sync, MiB: runs' p50 %s; runs' max %s" % (
                ", ".join(fmt(h["sync_rem_p50"], 2) for h in hf), ", ".join(fmt(h["sync_rem_max"], 2) for h in hf)))
            print("- syncs after the first pass: %s; interval ms (runs' p50) %s" % (
                ", ".join(str(h["syncs"]) for h in hf), ", ".join(fmt(h["sync_int_p50"], 0) for h in hf)))
        if runs[0]["action"].startswith("release"):
            print("- command -> target RESUMED, ms: %s" % stat([r.get("exec_to_running_ms") for r in runs]))
            print("- command -> source SUSPENDED, ms: %s" % stat([r.get("exec_to_src_paused_ms") for r in runs]))
            print("- source paused -> target running, ms: %s" % stat(
                [r["exec_to_running_ms"] - r["exec_to_src_paused_ms"] for r in runs
                 if r.get("exec_to_running_ms") is not None and r.get("exec_to_src_paused_ms") is not None]))
            print("- QEMU/libvirt downtime, ms: %s" % stat([(r.get("completed_stats") or {}).get("downtime") for r in runs], 0))
            print("- window phase at the command, ms (0 = QEMU's 100 ms window just began): %s" % stat(
                [r.get("window_phase_ms") for r in runs], 0))
            print("- API call returned after, ms: %s" % stat([r.get("release_call_ms") for r in runs]))
            print("- guest intact (same boot id, tick n+1, ticking): %s" % [r.get("guest_intact") for r in runs])
            print("- last source tick -> first target tick, ms: %s" % stat([r.get("tick_gap_ms") for r in runs], 0))
        if runs[0]["action"] == "cancel":
            print("- abortJob returned after, ms: %s" % stat([r.get("abort_call_ms") for r in runs]))
            print("- command -> virsh migrate exited, ms: %s" % stat([r.get("exec_to_virsh_exit_ms") for r in runs]))
            print("- command -> target domain gone, ms: %s" % stat([r.get("exec_to_dst_gone_ms") for r in runs]))
            print("- source intact (running, same boot, ticks continue): %s" % [r.get("source_intact") for r in runs])
        print("- source ticks during the hold: %s; longest gap s: %s" % (
            [r.get("src_ticks_during_hold") for r in runs], [fmt(r.get("src_tick_gap_max_s"), 2) for r in runs]))
        print("- load average at start: %s" % [fmt(r["loadavg_start"][0], 1) for r in runs])
        if held and held[0].get("trace") and r0["hold_target_s"] >= 60:
            print("- over time (run %d): %s" % (held[0]["run"], "; ".join(per_10s(held[0]))))
        print()


if __name__ == "__main__":
    main()
