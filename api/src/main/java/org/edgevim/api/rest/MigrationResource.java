package org.edgevim.api.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.edgevim.migration.Migration;
import org.edgevim.migration.MigrationService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Mm6: migrations of VMs between edge hosts (started by POST /mm6/v1/compute/{computeId}/migrate). */
@Path("/mm6/v1/migrations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Mm6 migration")
public class MigrationResource {

    private final MigrationService migrations;

    public MigrationResource(MigrationService migrations) {
        this.migrations = migrations;
    }

    @GET
    @Operation(summary = "Migrations, newest first, optionally of one VM")
    public List<Migration> list(@QueryParam("computeId") String computeId) {
        return migrations.list(computeId);
    }

    @GET
    @Path("/{migrationId}")
    @Operation(summary = "One migration: state, and progress read from the source host while it copies")
    public Migration get(@PathParam("migrationId") String migrationId) {
        return migrations.get(migrationId);
    }

    @DELETE
    @Path("/{migrationId}")
    @Operation(summary = "Abort a migration: the VM keeps running on its source; 202, it ends CANCELLED")
    public Response abort(@PathParam("migrationId") String migrationId) {
        return Response.accepted(migrations.abort(migrationId)).build();
    }
}
