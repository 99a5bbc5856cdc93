package org.edgevim.api.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.edgevim.core.service.HostRegistry;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Mm4: the edge hosts the VIM manages. */
@Path("/mm4/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Mm4 hosts")
public class HostResource {

    private final HostRegistry hosts;

    public HostResource(HostRegistry hosts) {
        this.hosts = hosts;
    }

    @GET
    @Operation(summary = "List edge hosts with their last observed reachability")
    public List<HostView> list() {
        return hosts.list().stream().map(HostView::of).toList();
    }

    @GET
    @Path("/{hostId}")
    @Operation(summary = "One edge host, probed now")
    public HostView get(@PathParam("hostId") String hostId) {
        hosts.get(hostId);
        return HostView.of(hosts.probe(hostId));
    }

    @POST
    @Operation(summary = "Register an edge host (idempotent for an identical definition)")
    public Response register(@Valid @NotNull HostRegistration body) {
        EdgeHost host = hosts.register(new EdgeHost(body.name(), body.driver(), body.uri(), body.zoneId(), body.cells(),
                HostState.UNKNOWN, body.sshUri()));
        return Response.created(URI.create("/mm4/v1/hosts/" + host.hostId())).entity(HostView.of(host)).build();
    }
}
