package org.edgevim.api.openstack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the fake cloud (two compute hosts) before the VIM and configures the VIM with it: cloud
 * {@code fake}, edge hosts {@code os-1} (compute1) and {@code os-2} (compute2), as an operator would.
 */
public class FakeCloudResource implements QuarkusTestResourceLifecycleManager {

    static volatile FakeOpenStack fake;
    static volatile WireMockServer server;

    @Override
    public Map<String, String> start() {
        fake = new FakeOpenStack("compute1", "compute2");
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
        server.start();
        fake.base("http://127.0.0.1:" + server.port());
        server.stubFor(any(anyUrl()).willReturn(aResponse()));
        String cloud = "vim.openstack.clouds.fake.";
        Map<String, String> config = new HashMap<>();
        config.put(cloud + "auth-url", "http://127.0.0.1:" + server.port() + "/identity/v3");
        config.put(cloud + "project-name", "edge");
        config.put(cloud + "user-name", "vim");
        config.put(cloud + "password", "fake-secret");
        config.put(cloud + "poll-interval", "20ms");
        config.put(cloud + "request-timeout", "5s");
        config.put("vim.hosts.os-1.driver", "openstack");
        config.put("vim.hosts.os-1.uri", "openstack://fake/compute1");
        config.put("vim.hosts.os-1.zone-id", "zone-os");
        config.put("vim.hosts.os-1.cells", "cell-os-1");
        config.put("vim.hosts.os-2.driver", "openstack");
        config.put("vim.hosts.os-2.uri", "openstack://fake/compute2");
        config.put("vim.hosts.os-2.zone-id", "zone-os");
        config.put("vim.hosts.os-2.cells", "cell-os-2");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
