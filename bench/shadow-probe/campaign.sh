#!/usr/bin/env bash
# campaign.sh [GROUP...] -- the measurement runs behind docs/memory-shadow.md.
# Needs the lab: cd /work/wt-shadow && VIM_LAB_ADDR_BASE=40 lab-setup/lab up 2
# Each hold.py run appends one JSON line per run to results/<tag>.jsonl; summarize.py makes the tables.
#   hold     Q1: hold mechanisms, 60 s each, guest dirtying 20 MiB/s (5 runs each)
#   idle     Q1: idle / quiet guests, and what pause-before-switchover does
#   release  Q2: release variants from a held pre-copy (5 runs each)
#   cancel   Q3: domjobabort on a held job (5 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
H="/usr/bin/python3 bench/shadow-probe/hold.py"
RUNS=${RUNS:-5}
log() { echo "== $(date +%T) $*" >&2; }

group_hold() {
    log "hold: libvirt defaults (no hold)"; $H --mech none --hold 60 --runs "$RUNS" --tag q1-none
    log "hold: bandwidth 22 MiB/s + downtime 1 ms"; $H --mech bw-above --bw 22 --hold 60 --runs "$RUNS" --tag q1-bw22
    log "hold: bandwidth 48 MiB/s + downtime 1 ms"; $H --mech bw-above --bw 48 --hold 60 --runs "$RUNS" --tag q1-bw48
    log "hold: avail-switchover-bandwidth 1000 B/s over QMP"; $H --mech switchover-qmp --hold 60 --runs "$RUNS" --tag q1-switchover-qmp
    log "hold: --available-switchover-bandwidth 1 (libvirt)"; $H --mech switchover-libvirt --hold 60 --runs "$RUNS" --tag q1-switchover-libvirt
    log "hold: control loop (QMP max-bandwidth), safe, then post-copy release"
    $H --mech loop-qmp --policy safe --hold 60 --postcopy --action release-postcopy --runs "$RUNS" --tag q1-loop-safe
    log "hold: control loop (QMP), fast"; $H --mech loop-qmp --policy fast --hold 60 --runs "$RUNS" --tag q1-loop-fast
    log "hold: control loop through virDomainMigrateSetMaxSpeed only"
    $H --mech loop-libvirt --policy safe --hold 60 --runs "$RUNS" --tag q1-loop-libvirt
}

group_idle() {
    log "idle guest (no dirtier), loop safe, abort if pre-switchover is seen"
    $H --mech loop-qmp --policy safe --dirty 0 --hold 60 --abort-on-preswitchover --runs "$RUNS" --tag q1-idle-loop
    log "quiet guest 2 MiB/s, loop safe"
    $H --mech loop-qmp --policy safe --dirty 2 --hold 60 --abort-on-preswitchover --runs "$RUNS" --tag q1-quiet2-loop
    log "idle guest, libvirt defaults, shared disk (pre-switchover without NBD)"
    $H --mech switchover-libvirt --dirty 0 --hold 60 --disk shared --abort-on-preswitchover --runs "$RUNS" --tag q1-idle-shared
}

group_release() {
    log "release: post-copy, NBD disk"; $H --mech loop-qmp --hold 15 --postcopy --action release-postcopy --runs "$RUNS" --tag q2-postcopy-nbd
    log "release: post-copy, shared disk"; $H --mech loop-qmp --hold 15 --postcopy --action release-postcopy --disk shared --runs "$RUNS" --tag q2-postcopy-shared
    log "release: post-copy, shared disk, not persistent"
    $H --mech loop-qmp --hold 15 --postcopy --action release-postcopy --disk shared --no-persist --runs "$RUNS" --tag q2-postcopy-shared-np
    log "release: max-bandwidth 10 GB/s then post-copy, shared"
    $H --mech loop-qmp --hold 15 --postcopy --action release-postcopy-bw --disk shared --runs "$RUNS" --tag q2-postcopy-bw-shared
    log "release: pre-copy via virDomainMigrateSetMaxSpeed + SetMaxDowntime(20 s), NBD"
    $H --mech loop-qmp --hold 15 --action release-precopy --runs "$RUNS" --tag q2-precopy-nbd
    log "release: pre-copy via virDomainMigrateSetMaxSpeed + SetMaxDowntime(20 s), shared"
    $H --mech loop-qmp --hold 15 --action release-precopy --disk shared --runs "$RUNS" --tag q2-precopy-shared
    log "release: bandwidth first (virDomainMigrateSetMaxSpeed), downtime backstop after 30 ms, NBD"
    $H --mech loop-qmp --hold 15 --action release-precopy-bwfirst --runs "$RUNS" --tag q2-precopy-bwfirst-nbd
    log "release: bandwidth first, shared"
    $H --mech loop-qmp --hold 15 --action release-precopy-bwfirst --disk shared --runs "$RUNS" --tag q2-precopy-bwfirst-shared
    log "release: pre-copy via one QMP migrate-set-parameters, shared"
    $H --mech loop-qmp --hold 15 --action release-precopy-qmp --release-downtime 300 --disk shared --runs "$RUNS" --tag q2-precopy-qmp-shared
}

group_cancel() {
    log "cancel, NBD"; $H --mech loop-qmp --hold 15 --postcopy --action cancel --runs "$RUNS" --tag q3-cancel-nbd
    log "cancel, shared"; $H --mech loop-qmp --hold 15 --postcopy --action cancel --disk shared --runs "$RUNS" --tag q3-cancel-shared
}

for g in "${@:-hold idle release cancel}"; do
    for x in $g; do "group_$x"; done
done
log "done"
