package org.edgevim.openstack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.HostUnavailableException;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.model.ComputeOperation;
import org.junit.jupiter.api.Test;

/** Keystone v3 auth and token handling; how every error status of a service reaches the VIM. */
class KeystoneAndErrorsContractTest extends CloudContract {

    private static final String SERVICES = "/compute/v2.1/os-services?binary=nova-compute&host=compute1";

    private void stubServicesUp() {
        cloud.stubFor(json(get(urlEqualTo(SERVICES)), 200, sample("nova-services-list.json")));
    }

    @Test
    void passwordAuthScopedToTheProjectThenMicroversionedCallsWithTheToken() {
        stubServicesUp();
        driver.probe();
        cloud.verify(1, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"vim",
                          "domain":{"name":"Default"},"password":"secret"}}},
                         "scope":{"project":{"name":"admin","domain":{"name":"Default"}}}}}""")));
        cloud.verify(1, getRequestedFor(urlEqualTo(SERVICES)).withHeader("X-Auth-Token", equalTo(TOKEN))
                .withHeader("OpenStack-API-Version", equalTo("compute 2.74"))
                .withHeader("X-OpenStack-Nova-API-Version", equalTo("2.74")));
    }

    @Test
    void applicationCredentialCarriesItsOwnScope() {
        CloudSettings s = settings(Duration.ofSeconds(2));
        CloudSettings appCred = new CloudSettings("site-a", s.authUrl(), null, "public", null, "Default", null,
                "Default", null, "21dced0fd20347869b93710d2b98aae0", "ssh-secret", "none", null, s.connectTimeout(),
                s.requestTimeout(), s.uploadTimeout(), s.pollInterval(), s.buildTimeout(), s.operationTimeout(),
                s.migrationTimeout());
        var d = new OpenStackDriverFactory(Map.of("site-a", appCred), clock).create(host("edge-os-2",
                "openstack://site-a/compute1"), (h, c, st, r) -> { });
        stubServicesUp();
        d.probe();
        cloud.verify(postRequestedFor(urlEqualTo("/identity/v3/auth/tokens")).withRequestBody(equalToJson("""
                {"auth":{"identity":{"methods":["application_credential"],"application_credential":
                  {"id":"21dced0fd20347869b93710d2b98aae0","secret":"ssh-secret"}}}}""")));
    }

    @Test
    void theTokenIsSharedByTheCloudsHostsAndRenewedBeforeItExpires() {
        stubServicesUp();
        var other = factory.create(host("edge-os-2", "openstack://site-a/compute1"), (h, c, s, r) -> { });
        driver.probe();
        other.probe();
        cloud.verify(1, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens")));

        clock.advance(Duration.ofMinutes(59).plusSeconds(1)); // within a minute of expires_at
        stubToken(TOKEN_2, "2026-01-10T12:00:00Z");
        driver.probe();
        cloud.verify(2, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens")));
        cloud.verify(1, getRequestedFor(urlEqualTo(SERVICES)).withHeader("X-Auth-Token", equalTo(TOKEN_2)));
    }

    @Test
    void aTokenRefusedMidOperationIsRenewedAndTheCallRetriedOnce() {
        cloud.stubFor(get(urlEqualTo(SERVICES)).inScenario("revoked").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":{\"code\":401,\"message\":\"The request you have made requires authentication.\"}}"))
                .willSetStateTo("renewed"));
        cloud.stubFor(json(get(urlEqualTo(SERVICES)).inScenario("revoked").whenScenarioStateIs("renewed"), 200,
                sample("nova-services-list.json")));
        driver.probe();
        cloud.verify(2, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens")));
        cloud.verify(2, getRequestedFor(urlEqualTo(SERVICES)));
    }

    @Test
    void aSecond401IsNotRetriedAgain() {
        cloud.stubFor(get(urlPathEqualTo("/compute/v2.1/servers/" + SERVER_ID)).willReturn(aResponse().withStatus(401)));
        factoryKnowsServer();
        assertThatThrownBy(() -> driver.find(COMPUTE_ID)).isInstanceOf(BackendException.class)
                .hasMessageContaining("refused a fresh token too");
        cloud.verify(2, getRequestedFor(urlEqualTo("/compute/v2.1/servers/" + SERVER_ID)));
    }

    @Test
    void refusedCredentialsMakeTheHostUnreachableWithKeystonesReason() {
        cloud.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/identity/v3/auth/tokens"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody(
                        "{\"error\":{\"code\":401,\"message\":\"The request you have made requires authentication.\",\"title\":\"Unauthorized\"}}")));
        assertThatThrownBy(driver::probe).isInstanceOf(HostUnavailableException.class)
                .hasMessageContaining("refused the VIM's credentials").hasMessageContaining("requires authentication")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aDownOrMissingComputeServiceMakesTheHostUnreachable() {
        cloud.stubFor(json(get(urlEqualTo(SERVICES)), 200,
                sample("nova-services-list.json").replace("\"up\"", "\"down\"")));
        assertThatThrownBy(driver::probe).isInstanceOf(HostUnavailableException.class).hasMessageContaining("is down");
        cloud.stubFor(json(get(urlEqualTo(SERVICES)), 200, "{\"services\":[]}"));
        assertThatThrownBy(driver::probe).isInstanceOf(HostUnavailableException.class)
                .hasMessageContaining("no nova-compute service");
    }

    @Test
    void eachErrorStatusBecomesTheVimsException() {
        factoryKnowsServer();
        stubServer(server("ACTIVE", null, 1, "compute1"));
        String action = "/compute/v2.1/servers/" + SERVER_ID + "/action";
        Map<Integer, Class<?>> expected = Map.of(403, BackendException.class, 409, ConflictException.class,
                413, ConflictException.class, 500, BackendException.class, 503, HostUnavailableException.class);
        expected.forEach((status, type) -> {
            cloud.stubFor(json(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(action)), status,
                    "{\"conflictingRequest\":{\"code\":" + status + ",\"message\":\"Cannot 'pause' instance while it is in vm_state stopped\"}}"));
            assertThatThrownBy(() -> driver.operate(COMPUTE_ID, ComputeOperation.PAUSE, Duration.ZERO))
                    .as("HTTP " + status).isInstanceOf(type).hasMessageContaining("HTTP " + status)
                    .hasMessageContaining("Cannot 'pause' instance");
        });
    }

    @Test
    void aSlowCloudTimesOutAsAnUnreachableHost() {
        cloud.stubFor(get(urlEqualTo(SERVICES)).willReturn(aResponse().withFixedDelay(3000).withStatus(200)));
        OpenStackDriverFactory impatient = new OpenStackDriverFactory(Map.of("site-a", settings(Duration.ofMillis(300))),
                clock);
        var d = impatient.create(host("edge-os-3", "openstack://site-a/compute1"), (h, c, s, r) -> { });
        long start = System.nanoTime();
        assertThatThrownBy(d::probe).isInstanceOf(HostUnavailableException.class).hasMessageContaining("did not answer");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void hostUrisAreCheckedAtRegistration() {
        assertThatThrownBy(() -> factory.create(host("x", "openstack://site-b/compute1"), (h, c, s, r) -> { }))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no cloud 'site-b'")
                .hasMessageContaining("site-a");
        assertThatThrownBy(() -> factory.create(host("x", "openstack://site-a/compute1/../x"), (h, c, s, r) -> { }))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("openstack://<cloud>/<compute-host>");
        assertThatThrownBy(() -> factory.create(host("x", "qemu+tcp://127.0.0.1/system"), (h, c, s, r) -> { }))
                .isInstanceOf(InvalidInputException.class);
    }

    /** The driver learns server ids from allocate or a lookup; tests seed the cloud-wide map. */
    void factoryKnowsServer() {
        cloudOf(driver).serverIds.put(COMPUTE_ID, SERVER_ID);
    }

    static Cloud cloudOf(OpenStackComputeDriver d) {
        try {
            var field = OpenStackComputeDriver.class.getDeclaredField("http");
            field.setAccessible(true);
            return ((CloudHttp) field.get(d)).cloud();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
