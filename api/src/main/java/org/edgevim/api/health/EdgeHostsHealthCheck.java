package org.edgevim.api.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.edgevim.core.service.HostRegistry;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Probes every edge host and reports each one's reachability. Ready while at least one host (or
 * none is registered yet) answers: one host down degrades the VIM, it does not stop it.
 */
@Readiness
@ApplicationScoped
public class EdgeHostsHealthCheck implements HealthCheck {

    private final HostRegistry hosts;

    public EdgeHostsHealthCheck(HostRegistry hosts) {
        this.hosts = hosts;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("edge-hosts");
        int reachable = 0;
        var all = hosts.probeAll();
        for (EdgeHost host : all) {
            response.withData(host.hostId(), host.state().name());
            if (host.state() == HostState.REACHABLE) {
                reachable++;
            }
        }
        return response.status(all.isEmpty() || reachable > 0).build();
    }
}
