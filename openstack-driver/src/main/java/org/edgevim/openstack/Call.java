package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One request to a cloud service.
 *
 * @param service     which service's endpoint
 * @param method      HTTP method
 * @param path        path and query below the endpoint, already encoded (see {@link Encode})
 * @param action      what it does, for messages: "create server 5b1c..."
 * @param contentType of the body, or null
 * @param body        a fresh body for every attempt (a retry after re-authentication re-reads it), or null
 * @param tolerated   error statuses the caller handles itself (e.g. 404 for a lookup)
 * @param timeout     or null for the cloud's request timeout
 */
record Call(Service service, String method, String path, String action, String contentType,
        Supplier<HttpRequest.BodyPublisher> body, Set<Integer> tolerated, Duration timeout) {

    static Call get(Service service, String path, String action) {
        return new Call(service, "GET", path, action, null, null, Set.of(), null);
    }

    static Call delete(Service service, String path, String action) {
        return new Call(service, "DELETE", path, action, null, null, Set.of(), null);
    }

    static Call json(Service service, String method, String path, String action, JsonNode json) {
        String text = json == null ? "null" : Json.write(json);
        return new Call(service, method, path, action, "application/json",
                () -> HttpRequest.BodyPublishers.ofString(text), Set.of(), null);
    }

    Call tolerating(Integer... statuses) {
        return new Call(service, method, path, action, contentType, body, Set.of(statuses), timeout);
    }

    Call withContentType(String type) {
        return new Call(service, method, path, action, type, body, tolerated, timeout);
    }

    Call withTimeout(Duration value) {
        return new Call(service, method, path, action, contentType, body, tolerated, value);
    }
}
