package org.edgevim.libvirt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.edgevim.core.driver.ComputeStateListener;
import org.edgevim.core.error.HostUnavailableException;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.event.DomainEvent;

/**
 * The one connection to one host's libvirtd. Opens lazily, notices when the daemon goes away
 * (keep-alive and the close callback), and reopens on the next call, re-registering the event
 * listeners, so a libvirtd restart costs nothing but the events missed in between (which the
 * periodic reconcile catches up on).
 */
final class LibvirtHostConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LibvirtHostConnection.class.getName());
    private static final int KEEPALIVE_INTERVAL_S = 5;
    private static final int KEEPALIVE_COUNT = 3;

    private final String hostId;
    private final String uri;
    private final ComputeStateListener listener;
    /** Reboots seen per domain name: a graceful REBOOT waits for this counter to move. */
    private final Map<String, AtomicLong> reboots = new ConcurrentHashMap<>();
    private volatile Connect connect;
    /**
     * Set by libvirt's close callback. The callback runs on the event-loop thread and must neither
     * take this object's lock nor call libvirt (closing a connection waits for the event loop: a
     * deadlock); the next call drops the connection instead.
     */
    private volatile Connect closedByPeer;
    private boolean closed;

    LibvirtHostConnection(String hostId, String uri, ComputeStateListener listener) {
        this.hostId = hostId;
        this.uri = uri;
        this.listener = listener;
    }

    /** Runs a call on the open connection, opening it first if needed; translates errors. */
    <T> T call(String action, LibvirtCall<T> call) {
        Connect current = open();
        try {
            return call.apply(current);
        } catch (LibvirtException e) {
            boolean lost = LibvirtErrors.isConnectionLost(e) || !isAlive(current);
            if (lost) {
                drop(current);
            }
            throw LibvirtErrors.translate(hostId, action, e, lost);
        }
    }

    long rebootCount(String domainName) {
        return reboots.computeIfAbsent(domainName, n -> new AtomicLong()).get();
    }

    private synchronized Connect open() {
        if (closed) {
            throw new IllegalStateException("connection to " + hostId + " is closed");
        }
        if (connect != null && closedByPeer != connect && isAlive(connect)) {
            return connect;
        }
        if (connect != null) {
            drop(connect);
        }
        LibvirtEventLoop.ensureRunning();
        try {
            Connect fresh = new Connect(uri, false);
            try {
                keepAlive(fresh);
                fresh.registerCloseListener((c, reason) -> {
                    LOG.warning("Connection to edge host " + hostId + " closed: " + reason);
                    closedByPeer = fresh;
                });
                fresh.addLifecycleListener(this::onLifecycle);
                fresh.addRebootListener(d -> reboots.computeIfAbsent(nameOf(d), n -> new AtomicLong()).incrementAndGet());
            } catch (LibvirtException e) {
                fresh.close();
                throw e;
            }
            connect = fresh;
            LOG.info(() -> "Connected to edge host " + hostId + " at " + uri);
            return fresh;
        } catch (LibvirtException e) {
            throw new HostUnavailableException(hostId, LibvirtErrors.message(e), e);
        }
    }

    /** Keep-alive only exists on remote connections; a local one (qemu:///, test:///) cannot lose its daemon silently. */
    private static void keepAlive(Connect c) throws LibvirtException {
        try {
            c.setKeepAlive(KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT);
        } catch (LibvirtException e) {
            if (!LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_SUPPORT)) {
                throw e;
            }
        }
    }

    private static boolean isAlive(Connect c) {
        try {
            return c.isConnected() && c.isAlive();
        } catch (LibvirtException e) {
            return false;
        }
    }

    private synchronized void drop(Connect c) {
        if (connect != c) {
            return;
        }
        connect = null;
        try {
            c.unregisterCloseListener();
        } catch (LibvirtException | RuntimeException ignored) {
            // the connection is gone anyway
        }
        try {
            c.close();
        } catch (LibvirtException | RuntimeException ignored) {
            // the connection is gone anyway
        }
    }

    private int onLifecycle(Domain domain, DomainEvent event) {
        String name = nameOf(domain);
        if (!DomainNames.isComputeId(name)) {
            return 0; // not one of ours
        }
        DomainStates.fromEvent(event).ifPresent(state ->
                listener.onStateChanged(hostId, name, state, "libvirt event " + event));
        return 0;
    }

    private static String nameOf(Domain domain) {
        try {
            return domain.getName();
        } catch (LibvirtException e) {
            return "";
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (connect != null) {
            drop(connect);
        }
    }
}
