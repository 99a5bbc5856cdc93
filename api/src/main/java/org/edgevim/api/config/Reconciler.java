package org.edgevim.api.config;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
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

    public Reconciler(HostRegistry hosts, ComputeService computes) {
        this.hosts = hosts;
        this.computes = computes;
    }

    @Scheduled(every = "${vim.reconcile-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        for (EdgeHost host : hosts.probeAll()) {
            if (host.state() == HostState.REACHABLE) {
                computes.reconcile(host.hostId());
            }
        }
    }
}
