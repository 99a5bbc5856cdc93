package org.edgevim.api.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small stateful OpenStack behind WireMock: Keystone, Nova (2.74), Glance v2 and Placement, with
 * just the behaviour the VIM relies on, asynchronous as the real one is: a server is BUILD on its
 * first look and ACTIVE on the next, an action sets a task state that clears on the next look, a
 * live migration runs for a few looks with growing figures and then lands on its target host.
 * Compute requests without the microversion header, and any request without a token, are refused
 * as Nova and Keystone would.
 */
final class FakeOpenStack implements ResponseDefinitionTransformerV2 {

    static final String NAME = "fake-openstack";
    static final String PROJECT = "0c4e939acacf4376bdcd1129f1a054ad";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SERVER = Pattern.compile("/compute/v2\\.1/servers/([0-9a-f-]{36})(/.*)?");
    private static final Pattern IMAGE = Pattern.compile("/image/v2/images/([0-9a-f-]{36})(/file)?");
    private static final Pattern PROVIDER = Pattern.compile("/placement/resource_providers/([a-z0-9-]+)/(inventories|usages|allocations)");
    private static final int MIGRATION_LOOKS = 3;

    /** compute host -> resource provider uuid. */
    final Map<String, String> hosts = new LinkedHashMap<>();
    final Map<String, ObjectNode> servers = new LinkedHashMap<>();
    final Map<String, ObjectNode> images = new LinkedHashMap<>();
    final Map<String, ObjectNode> flavors = new LinkedHashMap<>();
    /** server id -> its in-progress migration. */
    final Map<String, ObjectNode> migrations = new LinkedHashMap<>();
    final ArrayNode migrationHistory = MAPPER.createArrayNode();
    private final AtomicLong migrationIds = new AtomicLong();
    private volatile String base;

    FakeOpenStack(String... computeHosts) {
        for (String host : computeHosts) {
            hosts.put(host, UUID.nameUUIDFromBytes(host.getBytes()).toString());
        }
        ObjectNode tiny = MAPPER.createObjectNode().put("id", "1").put("name", "m1.tiny").put("vcpus", 1)
                .put("ram", 512).put("disk", 1).put("swap", "").put("OS-FLV-EXT-DATA:ephemeral", 0)
                .put("os-flavor-access:is_public", true).put("OS-FLV-DISABLED:disabled", false);
        flavors.put("1", tiny);
    }

    void base(String value) {
        base = value;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        URI uri = URI.create(request.getUrl());
        String path = uri.getRawPath();
        Map<String, String> query = query(uri.getRawQuery());
        String method = request.getMethod().getName();
        try {
            if (path.equals("/identity/v3/auth/tokens") && method.equals("POST")) {
                return token();
            }
            if (!request.containsHeader("X-Auth-Token")) {
                return error(401, "The request you have made requires authentication.");
            }
            if (path.startsWith("/compute/") && !"2.74".equals(request.getHeader("X-OpenStack-Nova-API-Version"))) {
                return error(400, "this fake Nova speaks 2.74 only; the request named no microversion");
            }
            if (path.startsWith("/compute/")) {
                return compute(method, path, query, request);
            }
            if (path.startsWith("/image/")) {
                return image(method, path, query, request);
            }
            if (path.startsWith("/placement/")) {
                return placement(path, query);
            }
            return error(404, "no such service: " + path);
        } catch (RuntimeException e) {
            return error(500, "fake cloud failed: " + e);
        }
    }

    // --- Keystone -------------------------------------------------------------------------------

    private ResponseDefinition token() {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode token = body.putObject("token");
        token.put("expires_at", Instant.now().plus(1, ChronoUnit.HOURS).toString());
        token.putObject("project").put("id", PROJECT).put("name", "edge");
        ArrayNode catalog = token.putArray("catalog");
        service(catalog, "compute", base + "/compute/v2.1");
        service(catalog, "image", base + "/image");
        service(catalog, "placement", base + "/placement");
        return new ResponseDefinitionBuilderShim(201, body).header("X-Subject-Token", "tok-" + UUID.randomUUID()).build();
    }

    private static void service(ArrayNode catalog, String type, String url) {
        ObjectNode s = catalog.addObject().put("type", type);
        s.putArray("endpoints").addObject().put("interface", "public").put("region_id", "RegionOne")
                .put("region", "RegionOne").put("url", url);
    }

    // --- Nova -----------------------------------------------------------------------------------

    private ResponseDefinition compute(String method, String path, Map<String, String> query, Request request) {
        String p = path.substring("/compute/v2.1".length());
        if (p.equals("/os-services")) {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode list = body.putArray("services");
            String host = query.get("host");
            if (hosts.containsKey(host)) {
                list.addObject().put("binary", "nova-compute").put("host", host).put("state", "up").put("status", "enabled");
            }
            return ok(body);
        }
        if (p.equals("/flavors/detail")) {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode list = body.putArray("flavors");
            flavors.values().forEach(list::add);
            body.putArray("flavors_links");
            return ok(body);
        }
        if (p.equals("/flavors") && method.equals("POST")) {
            ObjectNode f = (ObjectNode) body(request).path("flavor").deepCopy();
            f.put("id", UUID.randomUUID().toString());
            flavors.put(f.path("id").asText(), f);
            ObjectNode body = MAPPER.createObjectNode();
            body.set("flavor", f);
            return ok(body);
        }
        if (p.startsWith("/flavors/") && p.endsWith("/action")) {
            return status(200);
        }
        if (p.equals("/os-migrations")) {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode list = body.putArray("migrations");
            migrationHistory.forEach(m -> {
                if (m.path("instance_uuid").asText().equals(query.get("instance_uuid"))) {
                    list.add(m);
                }
            });
            return ok(body);
        }
        if (p.equals("/servers") && method.equals("POST")) {
            return createServer(body(request).path("server"));
        }
        if (p.equals("/servers/detail")) {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode list = body.putArray("servers");
            String name = query.get("name");
            servers.values().stream()
                    .filter(s -> query.get("host") == null || query.get("host").equals(s.path("OS-EXT-SRV-ATTR:host").asText()))
                    .filter(s -> name == null || Pattern.compile(name).matcher(s.path("name").asText()).find())
                    .forEach(list::add);
            return ok(body);
        }
        Matcher m = SERVER.matcher("/compute/v2.1" + p);
        if (!m.matches()) {
            return error(404, "unknown compute path " + p);
        }
        ObjectNode server = servers.get(m.group(1));
        if (server == null) {
            return error(404, "Instance " + m.group(1) + " could not be found.");
        }
        String rest = m.group(2) == null ? "" : m.group(2);
        switch (method + " " + rest.replaceAll("/migrations/\\d+", "/migrations/{id}")) {
            case "GET " -> {
                advance(server);
                if (server.path("_deleted").asBoolean()) {
                    servers.remove(server.path("id").asText());
                    return error(404, "Instance could not be found.");
                }
                ObjectNode body = MAPPER.createObjectNode();
                ObjectNode shown = server.deepCopy();
                shown.remove(List.of("_next", "_looks", "_target", "_deleted"));
                body.set("server", shown);
                return ok(body);
            }
            case "DELETE " -> {
                server.put("OS-EXT-STS:task_state", "deleting").put("_deleted", true);
                return status(204);
            }
            case "POST /action" -> {
                return action(server, body(request));
            }
            case "PUT /metadata" -> {
                server.set("metadata", body(request).path("metadata"));
                ObjectNode body = MAPPER.createObjectNode();
                body.set("metadata", server.path("metadata"));
                return ok(body);
            }
            case "GET /migrations" -> {
                ObjectNode body = MAPPER.createObjectNode();
                ArrayNode list = body.putArray("migrations");
                ObjectNode running = migrations.get(server.path("id").asText());
                if (running != null) {
                    running.put("memory_processed_bytes", running.path("memory_processed_bytes").asLong() + (64L << 20));
                    running.put("memory_remaining_bytes", Math.max(0, running.path("memory_total_bytes").asLong()
                            - running.path("memory_processed_bytes").asLong()));
                    list.add(running);
                }
                return ok(body);
            }
            case "DELETE /migrations/{id}" -> {
                ObjectNode running = migrations.remove(server.path("id").asText());
                if (running == null) {
                    return error(400, "no running migration");
                }
                server.put("status", "ACTIVE").putNull("OS-EXT-STS:task_state");
                history(running, "cancelled");
                return status(202);
            }
            default -> {
                return error(404, "unknown server path " + method + " " + rest);
            }
        }
    }

    private ResponseDefinition createServer(JsonNode request) {
        String host = request.path("host").asText();
        if (!hosts.containsKey(host)) {
            return error(400, "Compute host " + host + " could not be found.");
        }
        if (!"none".equals(request.path("networks").asText())) {
            return error(400, "the fake cloud has no networks");
        }
        ObjectNode image = images.get(request.path("imageRef").asText());
        if (image == null || !"active".equals(image.path("status").asText())) {
            return error(400, "Image " + request.path("imageRef").asText() + " is not active.");
        }
        ObjectNode flavor = flavors.get(request.path("flavorRef").asText());
        if (flavor == null) {
            return error(400, "Flavor " + request.path("flavorRef").asText() + " could not be found.");
        }
        String id = UUID.randomUUID().toString();
        ObjectNode server = MAPPER.createObjectNode().put("id", id).put("name", request.path("name").asText())
                .put("status", "BUILD").put("OS-EXT-STS:task_state", "spawning").put("OS-EXT-STS:power_state", 0)
                .put("OS-EXT-SRV-ATTR:host", host).put("tenant_id", PROJECT).put("_next", "ACTIVE");
        server.set("metadata", request.path("metadata"));
        server.set("flavor", flavor);
        server.putObject("image").put("id", image.path("id").asText());
        servers.put(id, server);
        ObjectNode body = MAPPER.createObjectNode();
        body.putObject("server").put("id", id);
        return new ResponseDefinitionBuilderShim(202, body).build();
    }

    private ResponseDefinition action(ObjectNode server, JsonNode action) {
        String name = action.fieldNames().next();
        String status = server.path("status").asText();
        switch (name) {
            case "os-stop" -> {
                if (!List.of("ACTIVE", "PAUSED").contains(status)) {
                    return conflict(name, status);
                }
                server.put("OS-EXT-STS:task_state", "powering-off").put("_next", "SHUTOFF");
            }
            case "os-start" -> {
                if (!status.equals("SHUTOFF")) {
                    return conflict(name, status);
                }
                server.put("OS-EXT-STS:task_state", "powering-on").put("_next", "ACTIVE");
            }
            case "pause" -> {
                if (!status.equals("ACTIVE")) {
                    return conflict(name, status);
                }
                server.put("OS-EXT-STS:task_state", "pausing").put("_next", "PAUSED");
            }
            case "unpause" -> {
                if (!status.equals("PAUSED")) {
                    return conflict(name, status);
                }
                server.put("OS-EXT-STS:task_state", "unpausing").put("_next", "ACTIVE");
            }
            case "reboot" -> server.put("status", "REBOOT").put("OS-EXT-STS:task_state", "rebooting").put("_next", "ACTIVE");
            case "os-migrateLive" -> {
                String target = action.path(name).path("host").asText();
                if (!status.equals("ACTIVE") || !hosts.containsKey(target)
                        || target.equals(server.path("OS-EXT-SRV-ATTR:host").asText())
                        || !"auto".equals(action.path(name).path("block_migration").asText())) {
                    return error(400, "bad live migration request " + action);
                }
                server.put("status", "MIGRATING").put("OS-EXT-STS:task_state", "migrating").put("_target", target)
                        .put("_looks", 0);
                ObjectNode migration = MAPPER.createObjectNode().put("id", migrationIds.incrementAndGet())
                        .put("server_uuid", server.path("id").asText()).put("status", "running")
                        .put("source_compute", server.path("OS-EXT-SRV-ATTR:host").asText()).put("dest_compute", target)
                        .put("memory_total_bytes", 512L << 20).put("memory_processed_bytes", 0)
                        .put("memory_remaining_bytes", 512L << 20)
                        .put("created_at", "2026-01-10T10:00:00.000000").put("updated_at", "2026-01-10T10:00:02.000000");
                migrations.put(server.path("id").asText(), migration);
            }
            default -> {
                return error(400, "unsupported action " + name);
            }
        }
        return status(202);
    }

    /** One look moves a server one step: a pending status lands, a migration progresses. */
    private void advance(ObjectNode server) {
        if (server.path("status").asText().equals("MIGRATING")) {
            int looks = server.path("_looks").asInt() + 1;
            server.put("_looks", looks);
            if (looks >= MIGRATION_LOOKS) {
                String id = server.path("id").asText();
                server.put("OS-EXT-SRV-ATTR:host", server.path("_target").asText()).put("status", "ACTIVE")
                        .putNull("OS-EXT-STS:task_state");
                ObjectNode done = migrations.remove(id);
                if (done != null) {
                    history(done, "completed");
                }
            }
            return;
        }
        if (server.has("_next") && !server.path("_deleted").asBoolean()) {
            String next = server.remove("_next").asText();
            int power = switch (next) {
                case "ACTIVE" -> 1;
                case "PAUSED" -> 3;
                default -> 4;
            };
            server.put("status", next).putNull("OS-EXT-STS:task_state").put("OS-EXT-STS:power_state", power);
        }
    }

    private void history(ObjectNode migration, String status) {
        ObjectNode record = migration.deepCopy().put("status", status).put("migration_type", "live-migration")
                .put("instance_uuid", migration.path("server_uuid").asText());
        migrationHistory.add(record);
    }

    // --- Glance ---------------------------------------------------------------------------------

    private ResponseDefinition image(String method, String path, Map<String, String> query, Request request) {
        if (path.equals("/image/v2/images") && method.equals("GET")) {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode list = body.putArray("images");
            images.values().stream().filter(i -> query.entrySet().stream()
                    .allMatch(q -> q.getValue().equals(i.path(q.getKey()).asText()))).forEach(list::add);
            return ok(body);
        }
        if (path.equals("/image/v2/images") && method.equals("POST")) {
            ObjectNode image = (ObjectNode) body(request).deepCopy();
            image.put("id", UUID.randomUUID().toString()).put("status", "queued").putNull("size");
            images.put(image.path("id").asText(), image);
            return new ResponseDefinitionBuilderShim(201, image).build();
        }
        Matcher m = IMAGE.matcher(path);
        if (!m.matches() || !images.containsKey(m.group(1))) {
            return error(404, "No image found");
        }
        ObjectNode image = images.get(m.group(1));
        if (m.group(2) != null && method.equals("PUT")) {
            if (!"application/octet-stream".equals(request.getHeader("Content-Type"))) {
                return error(415, "upload needs application/octet-stream");
            }
            image.put("status", "active").put("size", request.getBody().length);
            return status(204);
        }
        return switch (method) {
            case "GET" -> ok(image);
            case "PATCH" -> {
                for (JsonNode op : body(request)) {
                    image.set(op.path("path").asText().substring(1), op.path("value"));
                }
                yield ok(image);
            }
            case "DELETE" -> {
                images.remove(m.group(1));
                yield status(204);
            }
            default -> error(405, "method not allowed");
        };
    }

    // --- Placement ------------------------------------------------------------------------------

    private ResponseDefinition placement(String path, Map<String, String> query) {
        if (path.equals("/placement/resource_providers")) {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode list = body.putArray("resource_providers");
            String uuid = hosts.get(query.get("name"));
            if (uuid != null) {
                list.addObject().put("uuid", uuid).put("name", query.get("name")).put("generation", 1);
            }
            return ok(body);
        }
        Matcher m = PROVIDER.matcher(path);
        String host = hosts.entrySet().stream().filter(e -> m.matches() && e.getValue().equals(m.group(1)))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (host == null) {
            return error(404, "No resource provider with uuid found");
        }
        ObjectNode body = MAPPER.createObjectNode().put("resource_provider_generation", 1);
        switch (m.group(2)) {
            case "inventories" -> {
                ObjectNode inv = body.putObject("inventories");
                inv.putObject("VCPU").put("total", 8).put("reserved", 0).put("allocation_ratio", 4.0);
                inv.putObject("MEMORY_MB").put("total", 16384).put("reserved", 512).put("allocation_ratio", 1.0);
                inv.putObject("DISK_GB").put("total", 100).put("reserved", 0).put("allocation_ratio", 1.0);
            }
            case "usages" -> {
                long[] sum = new long[3];
                serversOn(host).forEach(s -> {
                    sum[0] += s.path("flavor").path("vcpus").asLong();
                    sum[1] += s.path("flavor").path("ram").asLong();
                    sum[2] += s.path("flavor").path("disk").asLong();
                });
                body.putObject("usages").put("VCPU", sum[0] + 2).put("MEMORY_MB", sum[1] + 2048).put("DISK_GB", sum[2] + 10);
            }
            default -> {
                ObjectNode allocations = body.putObject("allocations");
                serversOn(host).forEach(s -> allocations.putObject(s.path("id").asText()).putObject("resources")
                        .put("VCPU", s.path("flavor").path("vcpus").asLong())
                        .put("MEMORY_MB", s.path("flavor").path("ram").asLong())
                        .put("DISK_GB", s.path("flavor").path("disk").asLong()));
                // A server of another tenant, which the VIM must leave room for.
                allocations.putObject("9e3f4d2a-0000-4000-8000-000000000001").putObject("resources")
                        .put("VCPU", 2).put("MEMORY_MB", 2048).put("DISK_GB", 10);
            }
        }
        return ok(body);
    }

    private List<ObjectNode> serversOn(String host) {
        return servers.values().stream().filter(s -> host.equals(s.path("OS-EXT-SRV-ATTR:host").asText())).toList();
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static JsonNode body(Request request) {
        try {
            return MAPPER.readTree(request.getBodyAsString());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static ResponseDefinition ok(JsonNode body) {
        return new ResponseDefinitionBuilderShim(200, body).build();
    }

    private static ResponseDefinition status(int status) {
        return new ResponseDefinitionBuilderShim(status, null).build();
    }

    private static ResponseDefinition conflict(String action, String status) {
        return error(409, "Cannot '" + action + "' instance while it is in status " + status);
    }

    private static ResponseDefinition error(int status, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.putObject(status == 404 ? "itemNotFound" : status == 409 ? "conflictingRequest" : "badRequest")
                .put("code", status).put("message", message);
        return new ResponseDefinitionBuilderShim(status, body).build();
    }

    /** WireMock's response builder, with a JSON body. */
    private static final class ResponseDefinitionBuilderShim {
        private final com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder builder;

        ResponseDefinitionBuilderShim(int status, JsonNode body) {
            builder = com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition()
                    .withStatus(status);
            if (body != null) {
                try {
                    builder.withHeader("Content-Type", "application/json").withBody(MAPPER.writeValueAsString(body));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        ResponseDefinitionBuilderShim header(String name, String value) {
            builder.withHeader(name, value);
            return this;
        }

        ResponseDefinition build() {
            return builder.build();
        }
    }
}
