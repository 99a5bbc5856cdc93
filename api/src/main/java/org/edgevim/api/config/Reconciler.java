package org.edgevim.api.config;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.edgevim.core.capacity.CapacityMonitor;
import org.edgevim.core.image.ImageService;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.edgevim.core.service.ComputeService;
import org.edgevim.core.service.HostRegistry;

/**
 * Periodically probes every host and brings VM states in line with what the hosts report: events
 * are lost while a connection is down, and VMs can change behind the VIM's back.
 */
@ApplicationScoped
public class Reconciler {

    private final HostRegistry hosts;
    private final ComputeService computes;
    private final ImageService images;
    private final CapacityMonitor capacity;

    public Reconciler(HostRegistry hosts, ComputeService computes, ImageService images, CapacityMonitor capacity) {
        this.capacity = capacity;
        this.hosts = hosts;
        this.computes = computes;
        this.images = images;
    }

    @Scheduled(every = "${vim.reconcile-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        for (EdgeHost host : hosts.probeAll()) {
            if (host.state() == HostState.REACHABLE) {
                computes.reconcile(host.hostId());
            }
        }
        images.completePendingDeletes();
        capacity.checkAll(); // totals can change on the host's side (and VMs behind our back)
    }
}
