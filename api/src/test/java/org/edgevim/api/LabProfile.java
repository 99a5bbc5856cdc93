package org.edgevim.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * Registers the lab's three edge hosts at start-up, as an operator would in application.properties.
 * edge-1 receives images over SFTP (its sshd, the lab's key), edge-2 over its libvirt connection,
 * so that every lab run exercises both transfer methods.
 */
public class LabProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("vim.hosts.edge-1.uri", Lab.uri(1));
        config.put("vim.hosts.edge-1.zone-id", "zone-lab");
        config.put("vim.hosts.edge-1.cells", "cell-11,cell-12");
        config.put("vim.hosts.edge-1.ssh-uri", Lab.sshUri(1));
        config.put("vim.hosts.edge-2.uri", Lab.uri(2));
        config.put("vim.hosts.edge-2.zone-id", "zone-lab");
        config.put("vim.hosts.edge-2.cells", "cell-21");
        config.put("vim.hosts.edge-3.uri", Lab.uri(3));
        config.put("vim.hosts.edge-3.zone-id", "zone-lab");
        config.put("vim.hosts.edge-3.cells", "cell-31");
        config.put("vim.ssh.identity-file", Lab.DIR.resolve("ssh/id_ed25519").toString());
        config.put("vim.ssh.known-hosts-file", Lab.DIR.resolve("ssh/known_hosts").toString());
        config.put("quarkus.datasource.jdbc.url", "jdbc:h2:mem:vim-lab;DB_CLOSE_DELAY=-1");
        // No periodic reconcile: state changes in these tests must arrive as libvirt events.
        config.put("vim.reconcile-interval", "1h");
        return config;
    }
}
