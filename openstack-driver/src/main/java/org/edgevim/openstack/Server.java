package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the driver reads of a Nova server.
 *
 * @param id         Nova's UUID
 * @param name       the VIM's computeId
 * @param status     Nova's status (ACTIVE, BUILD, SHUTOFF, ...)
 * @param taskState  {@code OS-EXT-STS:task_state}, or null when nothing is under way
 * @param powerState {@code OS-EXT-STS:power_state} (0 NOSTATE, 1 RUNNING, 3 PAUSED, 4 SHUTDOWN, 6 CRASHED, 7 SUSPENDED)
 * @param host       {@code OS-EXT-SRV-ATTR:host} (admin only), or null
 * @param fault      the fault's message when the server is in ERROR, or null
 * @param metadata   the server's metadata
 */
record Server(String id, String name, String status, String taskState, int powerState, String host, String fault,
        Map<String, String> metadata) {

    static Server of(JsonNode s) {
        Map<String, String> metadata = new LinkedHashMap<>();
        s.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        JsonNode fault = s.path("fault");
        return new Server(s.path("id").asText(), s.path("name").asText(), s.path("status").asText("UNKNOWN"),
                text(s.path("OS-EXT-STS:task_state")), s.path("OS-EXT-STS:power_state").asInt(0),
                text(s.path("OS-EXT-SRV-ATTR:host")),
                fault.isMissingNode() || fault.isNull() ? null
                        : fault.path("message").asText("") + (fault.hasNonNull("code") ? " (code " + fault.path("code").asInt() + ")" : ""),
                Map.copyOf(metadata));
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    /** Nothing under way: no task, not in a transitional status. */
    boolean settled() {
        return taskState == null && !NovaStates.TRANSITIONAL.contains(status);
    }

    /** For operators: Nova's status, task and power state, verbatim. */
    String backendState() {
        return status + (taskState == null ? "" : "/" + taskState) + "/power_state=" + powerState;
    }
}
