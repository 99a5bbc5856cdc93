package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.error.VimException;

/**
 * A cloud's error status as one of the VIM's exceptions, by status code (never by message text),
 * with the cloud's own message kept for the operator.
 */
final class Errors {

    private Errors() {
    }

    static VimException map(String hostId, String cloud, String action, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String what = "cloud " + cloud + " could not " + action + " (HTTP " + status + "): " + message(response);
        return switch (status) {
            case 403 -> new BackendException(what + " - the VIM's role in the project does not allow it", null);
            case 404 -> NotFoundException.withMessage(what);
            case 409 -> new ConflictException(what);
            case 413 -> new ConflictException(what + " - over a quota or size limit of the cloud", null);
            case 503 -> new HostUnavailableException(hostId, what, null);
            default -> new BackendException(what, null);
        };
    }

    /**
     * The cloud's own words: Nova {@code {"conflictingRequest":{"message":..}}}, Placement
     * {@code {"errors":[{"detail":..}]}}, Keystone {@code {"error":{"message":..}}}, Glance text or JSON.
     */
    static String message(HttpResponse<byte[]> response) {
        JsonNode body = Json.readQuietly(response.body());
        if (body.path("errors").isArray() && !body.path("errors").isEmpty()) {
            JsonNode first = body.path("errors").get(0);
            return first.path("detail").asText(first.path("title").asText(""));
        }
        if (body.path("message").isTextual()) {
            return body.path("message").asText();
        }
        if (body.isObject() && body.size() == 1) {
            JsonNode inner = body.elements().next();
            if (inner.path("message").isTextual()) {
                return inner.path("message").asText();
            }
        }
        String text = new String(response.body() == null ? new byte[0] : response.body(), StandardCharsets.UTF_8)
                .replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
        return text.isEmpty() ? "no details" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
