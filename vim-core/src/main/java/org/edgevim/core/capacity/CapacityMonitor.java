package org.edgevim.core.capacity;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import org.edgevim.core.error.VimException;
import org.edgevim.core.event.NotificationPublisher;
import org.edgevim.core.event.VimNotification;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.edgevim.core.service.AllocationListener;
import org.edgevim.core.service.HostRegistry;

/**
 * Announces capacity changes (IFA 005 clause 7.3.4): after every allocate and terminate, and at
 * every reconcile (which catches a host's own changes: memory added, VMs made outside the VIM,
 * a host that came back). A host's capacity is announced when it differs from what was last
 * announced for it, the first observation included. Checks run on their own executor, so the
 * request that changed the capacity never waits for a host to be asked.
 */
public final class CapacityMonitor implements AllocationListener {

    private static final Logger LOG = Logger.getLogger(CapacityMonitor.class.getName());

    private final HostRegistry hosts;
    private final CapacityService capacity;
    private final NotificationPublisher notifications;
    private final Executor executor;
    private final Clock clock;
    private final Map<String, HostCapacity> announced = new ConcurrentHashMap<>();

    public CapacityMonitor(HostRegistry hosts, CapacityService capacity, NotificationPublisher notifications,
            Executor executor, Clock clock) {
        this.hosts = hosts;
        this.capacity = capacity;
        this.notifications = notifications;
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public void allocationsChanged(String hostId) {
        executor.execute(() -> check(hostId));
    }

    /** Checks every reachable host now (on the caller's thread). */
    public void checkAll() {
        for (EdgeHost host : hosts.list()) {
            if (host.state() == HostState.REACHABLE) {
                check(host.hostId());
            }
        }
    }

    private void check(String hostId) {
        HostCapacity now;
        try {
            now = capacity.of(hosts.get(hostId));
        } catch (VimException e) {
            return; // unreachable or gone: the next reconcile looks again
        }
        HostCapacity before = announced.put(hostId, now);
        if (!now.equals(before)) {
            LOG.fine(() -> "Capacity of " + hostId + " changed: " + now);
            notifications.publish(new VimNotification(VimNotification.CAPACITY_CHANGE, clock.instant(), hostId, now));
        }
    }
}
