package org.edgevim.api.openstack;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The VIM against the real OpenStack of {@code lab-setup/openstack up} (Keystone, Glance, Placement,
 * Nova on the lab's libvirt hosts): cloud {@code lab} from the environment that
 * {@code lab-setup/openstack env} prints, and one edge host per nova-compute ({@code os-1},
 * {@code os-2}, ... serving cells {@code cell-os-1}, ...).
 */
public class RealOpenStackProfile implements QuarkusTestProfile {

    static List<String> computeHosts() {
        String hosts = System.getenv("VIM_OS_COMPUTE_HOSTS");
        return hosts == null || hosts.isBlank() ? List.of() : List.of(hosts.trim().split("\\s+"));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", "jdbc:h2:mem:vim-real-openstack;DB_CLOSE_DELAY=-1");
        config.put("vim.reconcile-interval", "1h");
        String cloud = "vim.openstack.clouds.lab.";
        config.put(cloud + "auth-url", System.getenv().getOrDefault("OS_AUTH_URL", "http://127.0.0.1:1/v3"));
        config.put(cloud + "region", System.getenv().getOrDefault("OS_REGION_NAME", "RegionOne"));
        config.put(cloud + "project-name", require("OS_PROJECT_NAME"));
        config.put(cloud + "user-name", require("OS_USERNAME"));
        config.put(cloud + "password", require("OS_PASSWORD"));
        config.put(cloud + "request-timeout", "120s");
        List<String> hosts = computeHosts();
        for (int i = 0; i < hosts.size(); i++) {
            String id = "vim.hosts.os-" + (i + 1) + ".";
            config.put(id + "driver", "openstack");
            config.put(id + "uri", "openstack://lab/" + hosts.get(i));
            config.put(id + "zone-id", "zone-os");
            config.put(id + "cells", "cell-os-" + (i + 1));
        }
        return config;
    }

    /**
     * The variable, or a placeholder: Quarkus builds every test profile while it discovers tests,
     * also when the tag is excluded, so a missing environment must not fail the build here (the
     * test says what is missing instead).
     */
    private static String require(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? "unset-" + name : value;
    }
}
