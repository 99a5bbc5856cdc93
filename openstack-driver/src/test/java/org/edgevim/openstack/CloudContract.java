package org.edgevim.openstack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A WireMock cloud on loopback and an OpenStack driver for its compute host {@code compute1}:
 * the base of the contract tests. Responses are the api-ref samples under {@code samples/}.
 */
abstract class CloudContract {

    static final String COMPUTE_ID = "5b1c3a52-8f0e-4d6c-9a57-3f1d2e4b6c70";
    static final String SERVER_ID = "84e2b49d-39a9-4d32-9100-e62161c236db";
    static final String TOKEN = "gAAAAABWHPd-token-1";
    static final String TOKEN_2 = "gAAAAABWHPd-token-2";
    static final String SHA = "a".repeat(64);

    WireMockServer cloud;
    MutableClock clock;
    OpenStackDriverFactory factory;
    OpenStackComputeDriver driver;

    @BeforeEach
    void startCloud() {
        cloud = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        cloud.start();
        clock = new MutableClock(Instant.parse("2026-01-10T10:00:00Z"));
        factory = new OpenStackDriverFactory(Map.of("site-a", settings(Duration.ofSeconds(2))), clock);
        driver = (OpenStackComputeDriver) factory.create(host("edge-os-1", "openstack://site-a/compute1"),
                (h, c, s, r) -> { });
        stubToken(TOKEN, "2026-01-10T11:00:00Z");
    }

    @AfterEach
    void stopCloud() {
        cloud.stop();
    }

    CloudSettings settings(Duration requestTimeout) {
        return new CloudSettings("site-a", "http://127.0.0.1:" + cloud.port() + "/identity/v3", "RegionOne", "public",
                "admin", "Default", "vim", "Default", "secret", null, null, "none", null, Duration.ofSeconds(1),
                requestTimeout, Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofSeconds(3),
                Duration.ofSeconds(3), Duration.ofSeconds(3));
    }

    static EdgeHost host(String id, String uri) {
        return new EdgeHost(id, "openstack", uri, "zone-a", List.of("cell-1"), HostState.UNKNOWN);
    }

    String base() {
        return "http://127.0.0.1:" + cloud.port();
    }

    void stubToken(String token, String expiresAt) {
        cloud.stubFor(post(urlEqualTo("/identity/v3/auth/tokens")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withHeader("X-Subject-Token", token)
                .withBody(sample("keystone-token-password-scoped.json", "expires_at", expiresAt))));
    }

    /** A server as Nova shows it (v2.71 sample) in the given status, on the given host. */
    String server(String status, String taskState, int powerState, String host) {
        return sample("nova-server-get-resp.json", "status", status, "host", host, "computeId", COMPUTE_ID,
                "power_state", Integer.toString(powerState), "task_state", taskState == null ? "null" : "\"" + taskState + "\"");
    }

    MappingBuilder json(MappingBuilder mapping, int status, String body) {
        return mapping.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body));
    }

    com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder json(
            com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder mapping, int status, String body) {
        return mapping.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body));
    }

    void stubServer(String body) {
        cloud.stubFor(json(get(urlEqualTo("/compute/v2.1/servers/" + SERVER_ID)), 200, body));
    }

    /** The sample with {{key}} placeholders filled, {{base}} being the WireMock cloud. */
    String sample(String name, String... keysAndValues) {
        try (InputStream in = getClass().getResourceAsStream("/samples/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{{base}}", base());
            for (int i = 0; i < keysAndValues.length; i += 2) {
                text = text.replace("{{" + keysAndValues[i] + "}}", keysAndValues[i + 1]);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
