package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nova's compute API at microversion {@link Service#COMPUTE}: servers, their actions, flavors,
 * live migration and its in-progress records, compute services. Every call carries the
 * microversion headers (openstack4j sends none, and drops a null {@code host} from os-migrateLive).
 */
final class Nova {

    private final CloudHttp http;

    Nova(CloudHttp http) {
        this.http = http;
    }

    private static String server(String serverId) {
        return "/servers/" + Encode.segment(serverId);
    }

    /** POST /servers; returns the new server's UUID. */
    String createServer(ObjectNode server) {
        ObjectNode body = Json.object();
        body.set("server", server);
        return http.json(Call.json(Service.COMPUTE, "POST", "/servers", "create server " + server.path("name").asText(),
                body)).path("server").path("id").asText();
    }

    Optional<Server> show(String serverId) {
        var response = http.send(Call.get(Service.COMPUTE, server(serverId), "show server " + serverId).tolerating(404));
        return response.statusCode() == 404 ? Optional.empty()
                : Optional.of(Server.of(Json.read(response.body()).path("server")));
    }

    /** GET /servers/detail with filters, every page (following {@code servers_links} next). */
    List<Server> list(String... filters) {
        List<Server> servers = new ArrayList<>();
        String path = "/servers/detail" + Encode.query(filters);
        while (path != null) {
            JsonNode page = http.json(Call.get(Service.COMPUTE, path, "list servers"));
            page.path("servers").forEach(s -> servers.add(Server.of(s)));
            path = nextLink("/servers/detail", page.path("servers_links"));
        }
        return servers;
    }

    /** POST /servers/{id}/action with {@code {name: argument}}. */
    void action(String serverId, String name, JsonNode argument) {
        ObjectNode body = Json.object();
        body.set(name, argument == null ? NullNode.getInstance() : argument);
        http.send(Call.json(Service.COMPUTE, "POST", server(serverId) + "/action", name + " server " + serverId, body));
    }

    /** DELETE /servers/{id}; false if it was already gone. */
    boolean delete(String serverId) {
        return http.send(Call.delete(Service.COMPUTE, server(serverId), "delete server " + serverId).tolerating(404))
                .statusCode() != 404;
    }

    /** PUT /servers/{id}/metadata: replaces all of it. */
    void replaceMetadata(String serverId, Map<String, String> metadata) {
        ObjectNode body = Json.object();
        ObjectNode items = body.putObject("metadata");
        metadata.forEach(items::put);
        http.send(Call.json(Service.COMPUTE, "PUT", server(serverId) + "/metadata", "set the metadata of " + serverId,
                body));
    }

    // --- flavors ------------------------------------------------------------------------------

    List<JsonNode> flavors(long minRamMiB, long minDiskGiB) {
        List<JsonNode> flavors = new ArrayList<>();
        String path = "/flavors/detail" + Encode.query("is_public", "None", "minRam", Long.toString(minRamMiB),
                "minDisk", Long.toString(minDiskGiB));
        while (path != null) {
            JsonNode page = http.json(Call.get(Service.COMPUTE, path, "list flavors"));
            page.path("flavors").forEach(flavors::add);
            path = nextLink("/flavors/detail", page.path("flavors_links"));
        }
        return flavors;
    }

    /** POST /flavors, private; returns the flavor (409 if the name exists: the caller looks again). */
    JsonNode createPrivateFlavor(String name, int vcpus, long ramMiB, long diskGiB) {
        ObjectNode body = Json.object();
        body.putObject("flavor").put("name", name).put("vcpus", vcpus).put("ram", ramMiB).put("disk", diskGiB)
                .put("os-flavor-access:is_public", false)
                .put("description", "Created by the edge VIM for VMs of this size");
        return http.json(Call.json(Service.COMPUTE, "POST", "/flavors", "create flavor " + name, body)).path("flavor");
    }

    void addFlavorAccess(String flavorId, String projectId) {
        ObjectNode body = Json.object();
        body.putObject("addTenantAccess").put("tenant", projectId);
        http.send(Call.json(Service.COMPUTE, "POST", "/flavors/" + Encode.segment(flavorId) + "/action",
                "share flavor " + flavorId + " with project " + projectId, body).tolerating(409)); // already shared
    }

    // --- live migration -------------------------------------------------------------------------

    /** os-migrateLive to an explicit host; the scheduler still checks it (no {@code force} since 2.68). */
    void liveMigrate(String serverId, String targetHost) {
        ObjectNode migrate = Json.object().put("host", targetHost).put("block_migration", "auto");
        action(serverId, "os-migrateLive", migrate);
    }

    /** GET /servers/{id}/migrations: the server's in-progress live migrations. */
    List<JsonNode> migrationsInProgress(String serverId) {
        List<JsonNode> list = new ArrayList<>();
        http.json(Call.get(Service.COMPUTE, server(serverId) + "/migrations", "list the migrations of " + serverId))
                .path("migrations").forEach(list::add);
        return list;
    }

    /** GET /os-migrations of the server's live migrations, newest first: how finished ones ended. */
    List<JsonNode> migrationHistory(String serverId) {
        List<JsonNode> list = new ArrayList<>();
        http.json(Call.get(Service.COMPUTE, "/os-migrations" + Encode.query("instance_uuid", serverId,
                "migration_type", "live-migration"), "list the migration history of " + serverId))
                .path("migrations").forEach(list::add);
        list.sort((a, b) -> Long.compare(b.path("id").asLong(), a.path("id").asLong()));
        return list;
    }

    /** DELETE /servers/{id}/migrations/{mid}: abort. */
    void abortMigration(String serverId, long migrationId) {
        http.send(Call.delete(Service.COMPUTE, server(serverId) + "/migrations/" + migrationId,
                "abort migration " + migrationId + " of " + serverId));
    }

    /** POST /servers/{id}/migrations/{mid}/action force_complete: pause the guest and finish. */
    void forceCompleteMigration(String serverId, long migrationId) {
        ObjectNode body = Json.object();
        body.putNull("force_complete");
        http.send(Call.json(Service.COMPUTE, "POST", server(serverId) + "/migrations/" + migrationId + "/action",
                "force-complete migration " + migrationId + " of " + serverId, body));
    }

    // --- compute services -------------------------------------------------------------------------

    /** GET /os-services of nova-compute on the host. */
    List<JsonNode> computeServices(String host) {
        List<JsonNode> list = new ArrayList<>();
        http.json(Call.get(Service.COMPUTE, "/os-services" + Encode.query("binary", "nova-compute", "host", host),
                "look up nova-compute on " + host)).path("services").forEach(list::add);
        return list;
    }

    /** Nova's next links are absolute URLs (possibly with an internal host name): we keep only the query. */
    static String nextLink(String path, JsonNode links) {
        for (JsonNode link : links) {
            if ("next".equals(link.path("rel").asText())) {
                String href = link.path("href").asText();
                int q = href.indexOf('?');
                return q < 0 ? null : path + href.substring(q);
            }
        }
        return null;
    }
}
