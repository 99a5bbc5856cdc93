#!/usr/bin/python3
"""ratelimit_probe.py -- how QEMU 10's migration rate limiter behaves at small budgets, seen through
libvirt: for each max-bandwidth value (set over QMP while the job runs), sample query-migrate every
~5 ms for 1.5 s and report how much is sent per 100 ms window (bytes and pages) and how the sends
are spaced. Results go to results/ratelimit-probe.jsonl.

  /usr/bin/python3 bench/shadow-probe/ratelimit_probe.py
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shadowlab import Lab, qmp, now, RESULTS  # noqa: E402

BANDWIDTHS = [4096, 40960, 409600, 4096000]


def main():
    lab = Lab()
    name = "shadow-rlprobe-%d" % os.getpid()
    dom, _ = lab.create_guest(name, 20, 128)
    time.sleep(3)
    # hold with a small budget from the start: the first pass goes at 2 MB/s only after we set it
    proc, t0, cmd = lab.start_migration(name, ["--bandwidth", "1000", "--available-switchover-bandwidth", "1"])
    out = {"name": name, "runs": []}
    try:
        lab.wait_job_active(dom)
        dom.migrateSetMaxDowntime(1, 0)
        # let the first pass finish at full speed, stopping short of its end
        while True:
            s = lab.sample(dom)
            if s["remaining"] < 64 * 1024 * 1024 or s["dirty_sync_count"] > 1:
                break
            time.sleep(0.005)
        for bps in BANDWIDTHS:
            qmp(dom, "migrate-set-parameters", {"max-bandwidth": bps})
            time.sleep(0.2)
            pts = []
            end = now() + 1.5
            while now() < end:
                s = lab.sample(dom)
                pts.append((round(s["t"] - t0, 4), s["transferred"], s["remaining"], s["normal"], s["duplicate"],
                            s["dirty_sync_count"], s["status"]))
                time.sleep(0.004)
            # bursts: consecutive samples with a rising 'transferred' after a flat stretch
            bursts = []
            for a, b in zip(pts, pts[1:]):
                if b[1] > a[1]:
                    if bursts and b[0] - bursts[-1]["t_last"] < 0.03:
                        bursts[-1]["bytes"] += b[1] - a[1]
                        bursts[-1]["pages"] += (b[3] - a[3]) + (b[4] - a[4])
                        bursts[-1]["t_last"] = b[0]
                    else:
                        bursts.append({"t": b[0], "t_last": b[0], "bytes": b[1] - a[1],
                                       "pages": (b[3] - a[3]) + (b[4] - a[4])})
            gaps = [round((y["t"] - x["t"]) * 1000, 1) for x, y in zip(bursts, bursts[1:])]
            run = {"max_bandwidth": bps, "budget_per_window": bps / 10, "bursts": bursts, "gaps_ms": gaps,
                   "samples": len(pts), "status_end": pts[-1][6]}
            out["runs"].append(run)
            print(bps, "bytes/burst", [b["bytes"] for b in bursts][:12], "pages/burst",
                  [b["pages"] for b in bursts][:12], "gaps ms", gaps[:12], flush=True)
            if pts[-1][6] != "active":
                break
    finally:
        try:
            dom.abortJob()
        except Exception:
            pass
        proc.communicate(timeout=60)
        lab.cleanup_guest(name)
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "ratelimit-probe.jsonl"), "a") as f:
        f.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
