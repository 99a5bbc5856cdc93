package org.edgevim.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.model.ComputeFlavour;

/**
 * The Nova flavor for a VIM flavour: an existing flavor of exactly that size (vCPUs, RAM, root
 * disk; no ephemeral disk or swap), public ones first, then by name; else a private flavor
 * {@code vim-<vcpu>c-<ram>m-<disk>g} created once and shared with the VIM's project.
 * Sizes never differ from what the orchestrator asked: a bigger flavor would make the VIM's
 * capacity figures lie.
 */
final class Flavors {

    private static final Logger LOG = Logger.getLogger(Flavors.class.getName());

    private final Nova nova;
    private final CloudHttp http;

    Flavors(Nova nova, CloudHttp http) {
        this.nova = nova;
        this.http = http;
    }

    String idFor(ComputeFlavour flavour) {
        String key = flavour.virtualCpu() + "/" + flavour.virtualMemory() + "/" + flavour.disk();
        String cached = http.cloud().flavorIds.get(key);
        if (cached != null) {
            return cached;
        }
        synchronized (http.cloud().flavorIds) {
            String id = find(flavour);
            if (id == null) {
                id = create(flavour);
            }
            http.cloud().flavorIds.put(key, id);
            return id;
        }
    }

    private String find(ComputeFlavour flavour) {
        List<JsonNode> candidates = nova.flavors(flavour.virtualMemory(), flavour.disk()).stream()
                .filter(f -> f.path("vcpus").asInt() == flavour.virtualCpu()
                        && f.path("ram").asLong() == flavour.virtualMemory()
                        && f.path("disk").asLong() == flavour.disk()
                        && f.path("OS-FLV-EXT-DATA:ephemeral").asLong(0) == 0
                        && f.path("swap").asLong(0) == 0 // "" (no swap) reads as 0
                        && !f.path("OS-FLV-DISABLED:disabled").asBoolean(false))
                .sorted(Comparator.comparing((JsonNode f) -> !f.path("os-flavor-access:is_public").asBoolean(true))
                        .thenComparing(f -> f.path("name").asText()))
                .toList();
        return candidates.isEmpty() ? null : candidates.get(0).path("id").asText();
    }

    private String create(ComputeFlavour flavour) {
        String name = "vim-" + flavour.virtualCpu() + "c-" + flavour.virtualMemory() + "m-" + flavour.disk() + "g";
        JsonNode created;
        try {
            created = nova.createPrivateFlavor(name, flavour.virtualCpu(), flavour.virtualMemory(), flavour.disk());
        } catch (ConflictException raced) { // another VIM (or an earlier run) made it: it is in the list now
            String id = find(flavour);
            if (id == null) {
                throw raced;
            }
            return id;
        }
        String id = created.path("id").asText();
        nova.addFlavorAccess(id, http.projectId());
        LOG.info(() -> "Cloud " + http.cloudName() + " had no flavor of " + flavour + "; created private flavor "
                + name + " (" + id + ")");
        return id;
    }
}
