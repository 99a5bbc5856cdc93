package org.edgevim.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Registers the lab's two edge hosts at start-up, as an operator would in application.properties. */
public class LabProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "vim.hosts.edge-1.uri", Lab.uri(1),
                "vim.hosts.edge-1.zone-id", "zone-lab",
                "vim.hosts.edge-1.cells", "cell-11,cell-12",
                "vim.hosts.edge-2.uri", Lab.uri(2),
                "vim.hosts.edge-2.zone-id", "zone-lab",
                "vim.hosts.edge-2.cells", "cell-21",
                "quarkus.datasource.jdbc.url", "jdbc:h2:mem:vim-lab;DB_CLOSE_DELAY=-1",
                // No periodic reconcile: state changes in these tests must arrive as libvirt events.
                "vim.reconcile-interval", "1h");
    }
}
