"""shadowlab: shared helpers for the shadow-hold probes (lab-setup/lab hosts edge-1 -> edge-2).

Runs with Debian's python3 and python3-libvirt (/usr/bin/python3; `apt-get install python3-libvirt`).
Everything goes through libvirt: the libvirt API over qemu+tcp for domains, jobs, events and
migration control, and virDomainQemuMonitorCommand (libvirt_qemu) for the QMP commands libvirt has
no API for (query-migrate, migrate-set-parameters). Migrations are started with `virsh migrate`
(the C client, which knows every typed migration parameter of libvirt 11.3) in the background.

Timing: every timestamp is time.monotonic() of this process. Lifecycle events of both hosts are
received by the libvirt default event loop running in a thread of this process; the guests' serial
console logs (written by each host's virtlogd) are polled every 2 ms and each new line is stamped.
"""

import json
import os
import re
import subprocess
import threading
import time

import libvirt
import libvirt_qemu

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
LAB_DIR = os.environ.get("VIM_LAB_DIR", os.path.join(REPO, "lab-setup", ".lab"))
ADDR_BASE = int(os.environ.get("VIM_LAB_ADDR_BASE") or open(os.path.join(LAB_DIR, "addr-base")).read().strip())
SRC_ADDR = "127.0.0.%d" % (ADDR_BASE + 1)
DST_ADDR = "127.0.0.%d" % (ADDR_BASE + 2)
SRC_URI = "qemu+tcp://%s/system" % SRC_ADDR
DST_URI = "qemu+tcp://%s/system" % DST_ADDR
POOL = "vim"
POOL_PATH = "/var/lib/libvirt/images/vim"          # as seen inside each host's namespace
SHARED_DIR = os.path.join(REPO, "bench", ".work", "shadow-probe", "disks")  # seen by both hosts
RESULTS = os.path.join(HERE, "results")
MIB = 1024 * 1024

EVENT_NAMES = {
    libvirt.VIR_DOMAIN_EVENT_DEFINED: "defined", libvirt.VIR_DOMAIN_EVENT_UNDEFINED: "undefined",
    libvirt.VIR_DOMAIN_EVENT_STARTED: "started", libvirt.VIR_DOMAIN_EVENT_SUSPENDED: "suspended",
    libvirt.VIR_DOMAIN_EVENT_RESUMED: "resumed", libvirt.VIR_DOMAIN_EVENT_STOPPED: "stopped",
    libvirt.VIR_DOMAIN_EVENT_SHUTDOWN: "shutdown", libvirt.VIR_DOMAIN_EVENT_PMSUSPENDED: "pmsuspended",
    libvirt.VIR_DOMAIN_EVENT_CRASHED: "crashed",
}

_loop_started = False


def now():
    return time.monotonic()


def start_event_loop():
    """libvirt's default event loop in a daemon thread (must run before connections are opened)."""
    global _loop_started
    if _loop_started:
        return
    libvirt.registerErrorHandler(lambda ctx, err: None, None)   # errors arrive as exceptions anyway
    libvirt.virEventRegisterDefaultImpl()

    def run():
        while True:
            libvirt.virEventRunDefaultImpl()
    threading.Thread(target=run, name="libvirt-events", daemon=True).start()
    _loop_started = True


class EventLog:
    """Lifecycle and migration-iteration events of one host, stamped on arrival."""

    def __init__(self, host, conn):
        self.host = host
        self.events = []          # (t, domain name, kind, detail)
        self.cond = threading.Condition()
        conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, self._lifecycle, None)
        conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION, self._iteration, None)
        conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, self._job_completed, None)

    def _add(self, dom, kind, detail):
        t = now()
        with self.cond:
            self.events.append((t, dom.name(), kind, detail))
            self.cond.notify_all()

    def _lifecycle(self, conn, dom, event, detail, opaque):
        self._add(dom, EVENT_NAMES.get(event, str(event)), detail)

    def _iteration(self, conn, dom, iteration, opaque):
        self._add(dom, "iteration", iteration)

    def _job_completed(self, conn, dom, params, opaque):
        self._add(dom, "job-completed", params)

    def wait_for(self, name, kind, after, timeout, detail=None):
        """First event (kind[, detail]) of domain `name` stamped after `after`; None on timeout."""
        deadline = now() + timeout
        with self.cond:
            while True:
                for e in self.events:
                    if e[0] >= after and e[1] == name and e[2] == kind and (detail is None or e[3] == detail):
                        return e
                left = deadline - now()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def since(self, name, after):
        with self.cond:
            return [e for e in self.events if e[0] >= after and e[1] == name]


TICK_RE = re.compile(r"vim-guest tick (\d+) id=(\S+) up=([\d.]+)")


class ConsoleTail:
    """Polls a guest console log file (host view of /var/log/libvirt/qemu/...) every 2 ms."""

    def __init__(self, path):
        self.path = path
        self.lines = []           # (t, line)
        self._stop = False
        self._pos = 0
        self._buf = b""
        try:
            self._pos = os.path.getsize(path)   # only what is written from now on
        except OSError:
            self._pos = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop:
            try:
                size = os.path.getsize(self.path)
                if size < self._pos:          # truncated (a new QEMU opened it without append)
                    self._pos = 0
                if size > self._pos:
                    with open(self.path, "rb") as f:
                        f.seek(self._pos)
                        data = f.read()
                    self._pos += len(data)
                    t = now()
                    self._buf += data
                    *complete, self._buf = self._buf.split(b"\n")
                    for line in complete:
                        self.lines.append((t, line.decode(errors="replace").rstrip("\r")))
            except OSError:
                pass
            time.sleep(0.002)

    def stop(self):
        self._stop = True

    def ticks(self):
        """[(t, n, bootid, uptime)] of the tick lines seen."""
        out = []
        for t, line in list(self.lines):
            m = TICK_RE.search(line)
            if m:
                out.append((t, int(m.group(1)), m.group(2), float(m.group(3))))
        return out

    def wait_line(self, pattern, timeout):
        rx = re.compile(pattern)
        deadline = now() + timeout
        while now() < deadline:
            for t, line in list(self.lines):
                if rx.search(line):
                    return t, line
            time.sleep(0.01)
        return None


def host_dir(i):
    return os.path.join(LAB_DIR, "hosts", "edge-%d" % i)


def console_path(host_index, name):
    return os.path.join(host_dir(host_index), "log", "qemu", "%s-console.log" % name)


def domain_xml(name, disk_path, cmdline, memory_mib=512):
    """Like the driver's DomainXml: direct kernel boot, qcow2 overlay, serial console logged to a file."""
    return f"""<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>{memory_mib}</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
    <kernel>{POOL_PATH}/edge-guest.vmlinuz</kernel>
    <initrd>{POOL_PATH}/edge-guest.initrd</initrd>
    <cmdline>{cmdline}</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='{disk_path}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <serial type='pty'>
      <log file='/var/log/libvirt/qemu/{name}-console.log' append='on'/>
      <target port='0'/>
    </serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <memballoon model='none'/>
  </devices>
</domain>"""


def overlay_xml(name):
    return f"""<volume type='file'>
  <name>{name}.qcow2</name>
  <capacity unit='M'>64</capacity>
  <target><format type='qcow2'/></target>
  <backingStore><path>{POOL_PATH}/edge-guest.qcow2</path><format type='qcow2'/></backingStore>
</volume>"""


def qmp(dom, command, arguments=None):
    """One QMP command through libvirt (virDomainQemuMonitorCommand); returns the 'return' value."""
    msg = {"execute": command}
    if arguments is not None:
        msg["arguments"] = arguments
    reply = json.loads(libvirt_qemu.qemuMonitorCommand(dom, json.dumps(msg), 0))
    if "error" in reply:
        raise RuntimeError("%s: %s" % (command, reply["error"]))
    return reply.get("return")


def pct(values, p):
    """Percentile by linear interpolation (p in 0..100)."""
    v = sorted(values)
    if not v:
        return None
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


class Lab:
    def __init__(self):
        start_event_loop()
        self.src = libvirt.open(SRC_URI)
        self.dst = libvirt.open(DST_URI)
        self.src_events = EventLog("edge-1", self.src)
        self.dst_events = EventLog("edge-2", self.dst)
        # keepalive so a dead peer is noticed; the event loop services it
        self.src.setKeepAlive(5, 3)
        self.dst.setKeepAlive(5, 3)

    # ------------------------------------------------------------------ guests
    def create_guest(self, name, dirty_mibps=20, dirty_buf_mib=128, disk="nbd", memory_mib=512,
                     boot_timeout=120):
        """Define and start `name` on edge-1; with disk='nbd' an overlay is created in pool vim on both
        hosts (the target's stays empty: --copy-storage-inc fills it), with disk='shared' the overlay
        lives in a folder both hosts see at the same path. Returns after the dirtier (or the first tick)."""
        self.cleanup_guest(name)
        cmdline = "root=/dev/vda rw console=ttyS0"
        if dirty_mibps:
            cmdline += " vim.dirty_mibps=%d vim.dirty_buf_mib=%d" % (dirty_mibps, dirty_buf_mib)
        if disk == "nbd":
            for conn in (self.src, self.dst):
                pool = conn.storagePoolLookupByName(POOL)
                pool.refresh(0)
                pool.createXML(overlay_xml(name), 0)
            disk_path = "%s/%s.qcow2" % (POOL_PATH, name)
        else:
            os.makedirs(SHARED_DIR, exist_ok=True)
            os.chmod(SHARED_DIR, 0o777)
            disk_path = os.path.join(SHARED_DIR, name + ".qcow2")
            # backing file by the path both namespaces see (the lab's image folder)
            subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b",
                            os.path.join(LAB_DIR, "image", "edge-guest.qcow2"), disk_path], check=True)
            os.chmod(disk_path, 0o666)
        self.disk_mode = disk
        tail = ConsoleTail(console_path(1, name))
        dom = self.src.defineXML(domain_xml(name, disk_path, cmdline, memory_mib))
        t0 = now()
        dom.create()
        pattern = r"vim-guest dirtier rate=" if dirty_mibps else r"vim-guest tick 1 "
        got = tail.wait_line(pattern, boot_timeout)
        tail.stop()
        if not got:
            raise RuntimeError("guest %s did not come up: %s" % (name, tail.lines[-5:]))
        return dom, got[0] - t0

    def cleanup_guest(self, name):
        for conn in (self.src, self.dst):
            try:
                d = conn.lookupByName(name)
            except libvirt.libvirtError:
                d = None
            if d is not None:
                try:
                    if d.isActive():
                        d.destroy()
                except libvirt.libvirtError:
                    pass
                try:
                    d.undefineFlags(0)
                except libvirt.libvirtError:
                    pass
            try:
                pool = conn.storagePoolLookupByName(POOL)
                pool.refresh(0)
                pool.storageVolLookupByName(name + ".qcow2").delete(0)
            except libvirt.libvirtError:
                pass
        p = os.path.join(SHARED_DIR, name + ".qcow2")
        if os.path.exists(p):
            os.unlink(p)

    # ------------------------------------------------------------------ migration
    def start_migration(self, name, extra=(), postcopy=False, disk="nbd", persistent=True):
        """`virsh migrate` in the background (p2p, live, [persistent, undefinesource])."""
        cmd = ["virsh", "-q", "-c", SRC_URI, "migrate", "--live", "--p2p", "--abort-on-error"]
        if persistent:
            cmd += ["--persistent", "--undefinesource"]
        if disk == "nbd":
            cmd.append("--copy-storage-inc")
        else:
            cmd.append("--unsafe")
        if postcopy:
            cmd.append("--postcopy")
        cmd += list(extra)
        cmd += [name, DST_URI, "tcp://%s" % DST_ADDR]
        t = now()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return proc, t, cmd

    def wait_job_active(self, dom, timeout=30):
        """Wait until QEMU's outgoing migration is 'active' (after libvirt's NBD mirror is ready)."""
        deadline = now() + timeout
        while now() < deadline:
            try:
                st = qmp(dom, "query-migrate").get("status")
                if st in ("active", "postcopy-active", "pre-switchover", "device", "completed"):
                    return now(), st
            except (libvirt.libvirtError, RuntimeError):
                pass
            time.sleep(0.005)
        raise RuntimeError("migration job did not become active")

    @staticmethod
    def sample(dom):
        """One query-migrate, flattened to the figures the hold is judged by."""
        t = now()
        q = qmp(dom, "query-migrate")
        ram = q.get("ram", {})
        return {
            "t": t, "qmp_ms": (now() - t) * 1000, "status": q.get("status"),
            "remaining": ram.get("remaining"), "transferred": ram.get("transferred"),
            "dirty_sync_count": ram.get("dirty-sync-count"), "dirty_pages_rate": ram.get("dirty-pages-rate"),
            "mbps": ram.get("mbps"), "expected_downtime": q.get("expected-downtime"),
            "precopy_bytes": ram.get("precopy-bytes"), "downtime": q.get("downtime"),
            "normal": ram.get("normal"), "duplicate": ram.get("duplicate"),
        }
