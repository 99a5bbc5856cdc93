#!/usr/bin/python3
"""trace_summary.py LOG... -- summarise QEMU migration trace points (hold.py --trace copies the source
domain log to results/traces/): per 100 ms rate-limit window, bytes sent and dirty-bitmap syncs; counts
windows with more than one sync (the syncs that can end a hold) and the gaps between syncs."""
import re
import sys

LINE = re.compile(r"^\d+@(\d+\.\d+):(\S+)\s*(.*)$")


def main():
    for path in sys.argv[1:]:
        windows, cur, syncs = [], None, []
        for line in open(path, errors="replace"):
            m = LINE.match(line.strip())
            if not m:
                continue
            t, ev, rest = float(m.group(1)), m.group(2), m.group(3)
            if ev == "migrate_transferred":
                cur = {"t": t, "bytes": int(rest.split()[1]), "syncs": 0, "pending": []}
                windows.append(cur)
            elif ev == "migration_bitmap_sync_start":
                syncs.append(t)
                if cur:
                    cur["syncs"] += 1
            elif ev == "migrate_pending_exact" and cur:
                cur["pending"].append(int(rest.split()[3]))
        gaps = sorted((b - a) * 1000 for a, b in zip(syncs, syncs[1:]))
        multi = [w for w in windows if w["syncs"] > 1]
        print(path)
        print("  windows %d, syncs %d, windows with >1 sync %d" % (len(windows), len(syncs), len(multi)))
        if gaps:
            print("  sync gaps ms: min %.1f p5 %.1f p50 %.1f max %.1f; gaps < 20 ms: %d" % (
                gaps[0], gaps[len(gaps) // 20], gaps[len(gaps) // 2], gaps[-1], sum(1 for g in gaps if g < 20)))
        for w in multi[:10]:
            print("  multi-sync window at %.3f: %d syncs, pending after each %s" % (w["t"], w["syncs"], w["pending"]))


if __name__ == "__main__":
    main()
