package org.edgevim.api.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.edgevim.api.config.VimConfig;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.model.ComputeFlavour;
import org.edgevim.core.model.MobilityProfile;
import org.edgevim.core.model.OperationalState;
import org.edgevim.core.model.TerminationType;
import org.edgevim.core.model.VirtualCompute;
import org.edgevim.core.service.AllocationRequest;
import org.edgevim.core.service.ComputeService;
import org.edgevim.migration.HandoffService;
import org.edgevim.migration.Migration;
import org.edgevim.migration.MigrationRequest;
import org.edgevim.migration.MigrationService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Mm6: the VMs that run edge applications. */
@Path("/mm6/v1/compute")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Mm6 virtualised compute")
public class ComputeResource {

    /** How long a terminate waits for a cancelled memory shadow's copy to end. */
    private static final Duration SHADOW_END_PATIENCE = Duration.ofSeconds(30);
    private final ComputeService computes;
    private final MigrationService migrations;
    private final VimConfig config;
    private final HandoffService handoffs;

    public ComputeResource(ComputeService computes, MigrationService migrations, HandoffService handoffs,
                           VimConfig config) {
        this.handoffs = handoffs;
        this.computes = computes;
        this.migrations = migrations;
        this.config = config;
    }

    @POST
    @Operation(summary = "Allocate a VM (placed on hostId, or on a host of zoneId, or anywhere) and start it")
    public Response allocate(@Valid @NotNull AllocateCompute body) {
        AllocateCompute.FlavourBody f = body.flavour();
        VirtualCompute compute = computes.allocate(new AllocationRequest(body.computeName(),
                new ComputeFlavour(f.virtualCpu(), f.virtualMemory(), f.disk()), body.vcImageId(), body.hostId(),
                body.zoneId(), body.metadata(),
                body.mobility() == null ? MobilityProfile.DEFAULT : body.mobility().profile()));
        return Response.created(URI.create("/mm6/v1/compute/" + compute.computeId())).entity(compute).build();
    }

    @GET
    @Operation(summary = "List VMs, optionally filtered by host and state")
    public List<VirtualCompute> list(@QueryParam("hostId") String hostId,
                                     @QueryParam("operationalState") String operationalState) {
        return computes.list(hostId, parse("operationalState", operationalState, OperationalState.class));
    }

    @GET
    @Path("/{computeId}")
    @Operation(summary = "One VM, its state read from its host")
    public VirtualCompute get(@PathParam("computeId") String computeId) {
        return computes.get(computeId);
    }

    @PATCH
    @Path("/{computeId}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Operation(summary = "Update metadata (merge patch: a null value removes the key) and/or the mobility profile")
    public VirtualCompute update(@PathParam("computeId") String computeId, @NotNull ComputePatch body) {
        return computes.update(computeId, body.metadata(), body.mobility() == null ? null : body.mobility().profile());
    }

    @POST
    @Path("/{computeId}/operate")
    @Operation(summary = "START, STOP, PAUSE, UNPAUSE or REBOOT a VM; returns once the VM is in the resulting state")
    public VirtualCompute operate(@PathParam("computeId") String computeId, @Valid @NotNull OperateCompute body) {
        Duration timeout = body.gracefulTimeoutSeconds() == null ? config.defaultGracefulTimeout()
                : Duration.ofSeconds(body.gracefulTimeoutSeconds());
        return computes.operate(computeId, body.operation(), timeout);
    }

    @POST
    @Path("/{computeId}/migrate")
    @Operation(summary = "Start moving a running VM to targetHostId; 202 with the migration (/mm6/v1/migrations/{id})")
    public Response migrate(@PathParam("computeId") String computeId, @NotNull MigrateCompute body) {
        Migration migration = migrations.start(computeId, new MigrationRequest(body.targetHostId(),
                body.migrationType(), body.maxDowntimeMs(), body.bandwidthMiBps()));
        return Response.accepted(migration).location(URI.create("/mm6/v1/migrations/" + migration.migrationId()))
                .build();
    }

    @DELETE
    @Path("/{computeId}")
    @Operation(summary = "Terminate a VM and release its disk. GRACEFUL: ACPI shutdown, destroy after the timeout")
    public Response terminate(@PathParam("computeId") String computeId,
                              @QueryParam("terminationType") String terminationType,
                              @QueryParam("gracefulTimeoutSeconds") String gracefulTimeoutSeconds) {
        TerminationType type = terminationType == null ? TerminationType.GRACEFUL
                : parse("terminationType", terminationType, TerminationType.class);
        Duration timeout = config.defaultGracefulTimeout();
        if (gracefulTimeoutSeconds != null) {
            try {
                timeout = Duration.ofSeconds(Long.parseLong(gracefulTimeoutSeconds));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("gracefulTimeoutSeconds", "must be a whole number of seconds");
            }
        }
        // a memory shadow holds the VM in a migration: terminating it ends the shadow first
        handoffs.endShadowsOf(computeId, SHADOW_END_PATIENCE);
        computes.terminate(computeId, type, timeout);
        return Response.noContent().build();
    }

    /** Body of PATCH: metadata is merged; mobility, if given, replaces the VM's profile. */
    public record ComputePatch(Map<String, String> metadata, AllocateCompute.MobilityBody mobility) {
    }

    /** Query parameters are parsed here so that a bad value is a 400 naming it, not a 404. */
    private static <E extends Enum<E>> E parse(String field, String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
