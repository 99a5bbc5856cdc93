package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** The endpoints a Keystone token lists, looked up by service type, interface and region. */
record ServiceCatalog(JsonNode catalog) {

    /** The endpoint's base URL without a trailing slash. */
    Optional<String> endpoint(String type, String endpointInterface, String region) {
        for (JsonNode service : catalog) {
            if (!type.equals(service.path("type").asText())) {
                continue;
            }
            for (JsonNode endpoint : service.path("endpoints")) {
                boolean rightInterface = endpointInterface.equals(endpoint.path("interface").asText());
                boolean rightRegion = region == null || region.equals(endpoint.path("region_id").asText())
                        || region.equals(endpoint.path("region").asText());
                if (rightInterface && rightRegion) {
                    String url = endpoint.path("url").asText();
                    return Optional.of(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
                }
            }
        }
        return Optional.empty();
    }
}
