package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Glance v2 images: the calls the VIM makes, nothing more. */
final class Glance {

    /** The custom property that ties a Glance image to the VIM's image (one per cloud). */
    static final String VIM_IMAGE_ID = "vim_image_id";
    static final String VIM_SHA256 = "vim_sha256";

    private final CloudHttp http;

    Glance(CloudHttp http) {
        this.http = http;
    }

    /** Every Glance image carrying the VIM image's id, following {@code next} links. */
    List<JsonNode> imagesOf(String vimImageId) {
        List<JsonNode> found = new ArrayList<>();
        String path = "/v2/images" + Encode.query(VIM_IMAGE_ID, vimImageId);
        while (path != null) {
            JsonNode page = http.json(Call.get(Service.IMAGE, path, "list the images of " + vimImageId));
            for (JsonNode image : page.path("images")) {
                if (vimImageId.equals(image.path(VIM_IMAGE_ID).asText())) { // whether or not Glance filtered
                    found.add(image);
                }
            }
            path = nextPage("/v2/images", page.path("next").asText(null));
        }
        return found;
    }

    Optional<JsonNode> get(String glanceId) {
        var response = http.send(Call.get(Service.IMAGE, "/v2/images/" + Encode.segment(glanceId),
                "show image " + glanceId).tolerating(404));
        return response.statusCode() == 404 ? Optional.empty() : Optional.of(Json.read(response.body()));
    }

    /** POST /v2/images: a queued image with our properties; returns it. */
    JsonNode create(String name, String diskFormat, String containerFormat, Map<String, String> properties) {
        ObjectNode body = Json.object().put("name", name).put("disk_format", diskFormat)
                .put("container_format", containerFormat).put("visibility", "private");
        properties.forEach(body::put);
        return http.json(Call.json(Service.IMAGE, "POST", "/v2/images", "create image " + name, body));
    }

    /** PUT /v2/images/{id}/file: the bytes, streamed with their length. */
    void upload(String glanceId, long size, Supplier<java.io.InputStream> data) {
        Call call = new Call(Service.IMAGE, "PUT", "/v2/images/" + Encode.segment(glanceId) + "/file",
                "upload the data of image " + glanceId, "application/octet-stream",
                () -> HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(data), size),
                Set.of(), http.uploadTimeout());
        http.send(call);
    }

    /** PATCH with a JSON patch (RFC 6902, Glance's openstack-images-v2.1 media type): add or replace properties. */
    JsonNode setProperties(String glanceId, Map<String, String> properties, Set<String> existing) {
        ArrayNode patch = Json.object().arrayNode();
        properties.forEach((key, value) -> patch.addObject().put("op", existing.contains(key) ? "replace" : "add")
                .put("path", "/" + key).put("value", value));
        return http.json(Call.json(Service.IMAGE, "PATCH", "/v2/images/" + Encode.segment(glanceId),
                "update image " + glanceId, patch).withContentType("application/openstack-images-v2.1-json-patch"));
    }

    /** DELETE; an image already gone is fine. */
    void delete(String glanceId) {
        http.send(Call.delete(Service.IMAGE, "/v2/images/" + Encode.segment(glanceId), "delete image " + glanceId)
                .tolerating(404));
    }

    /** The import methods the cloud enables (GET /v2/info/import), e.g. glance-direct, web-download. */
    List<String> importMethods() {
        List<String> methods = new ArrayList<>();
        http.json(Call.get(Service.IMAGE, "/v2/info/import", "list the import methods"))
                .path("import-methods").path("value").forEach(m -> methods.add(m.asText()));
        return methods;
    }

    /** POST /v2/images/{id}/import with web-download: Glance fetches the bytes from the URL itself. */
    void importFromUrl(String glanceId, URI source) {
        ObjectNode body = Json.object();
        body.putObject("method").put("name", "web-download").put("uri", source.toString());
        http.send(Call.json(Service.IMAGE, "POST", "/v2/images/" + Encode.segment(glanceId) + "/import",
                "import image " + glanceId + " from " + source.getHost(), body));
    }

    /** Glance's {@code next} is a path with a marker; we keep only its query, on our own path. */
    static String nextPage(String path, String next) {
        if (next == null || next.isEmpty()) {
            return null;
        }
        int q = next.indexOf('?');
        return q < 0 ? null : path + next.substring(q);
    }
}
