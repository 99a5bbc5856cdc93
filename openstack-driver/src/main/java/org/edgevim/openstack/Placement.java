package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Placement: a compute node's resource provider, its inventories, usages and allocations. */
final class Placement {

    private final CloudHttp http;

    Placement(CloudHttp http) {
        this.http = http;
    }

    /** The UUID of the provider named like the compute node. */
    Optional<String> providerNamed(String name) {
        JsonNode providers = http.json(Call.get(Service.PLACEMENT, "/resource_providers" + Encode.query("name", name),
                "look up the resource provider of " + name)).path("resource_providers");
        return providers.isEmpty() ? Optional.empty() : Optional.of(providers.get(0).path("uuid").asText());
    }

    /** {@code {"VCPU": {"total":..,"reserved":..,"allocation_ratio":..}, ...}} */
    JsonNode inventories(String providerId) {
        return http.json(Call.get(Service.PLACEMENT, "/resource_providers/" + Encode.segment(providerId) + "/inventories",
                "read the inventories of provider " + providerId)).path("inventories");
    }

    /** {@code {"VCPU": 2, "MEMORY_MB": 1024, ...}} */
    JsonNode usages(String providerId) {
        return http.json(Call.get(Service.PLACEMENT, "/resource_providers/" + Encode.segment(providerId) + "/usages",
                "read the usages of provider " + providerId)).path("usages");
    }

    /** {@code {consumerUuid: {"resources": {"VCPU": 1, ...}}, ...}} */
    JsonNode allocations(String providerId) {
        return http.json(Call.get(Service.PLACEMENT, "/resource_providers/" + Encode.segment(providerId) + "/allocations",
                "read the allocations on provider " + providerId)).path("allocations");
    }
}
