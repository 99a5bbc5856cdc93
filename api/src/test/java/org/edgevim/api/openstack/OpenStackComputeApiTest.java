package org.edgevim.api.openstack;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Mm6 lifecycle and Mm4 capacity of the lab tests, through the same API, on two compute hosts
 * of a (fake, stateful) OpenStack cloud: the orchestrator's requests are the libvirt lab's; only the
 * host ids differ. The fake cloud is asked afterwards what the VIM did to it.
 */
@QuarkusTest
@TestProfile(OpenStackProfile.class)
class OpenStackComputeApiTest {

    private static String image;

    private static synchronized String image() throws Exception {
        if (image == null) {
            Path file = Files.createTempFile("os-image", ".img");
            Files.write(file, new byte[64 * 1024]);
            String id = given().contentType(ContentType.JSON).body("{\"name\":\"os-app\",\"diskFormat\":\"raw\"}")
                    .post("/mm4/v1/images").then().statusCode(201).extract().path("imageId");
            given().contentType(ContentType.BINARY).body(file.toFile()).put("/mm4/v1/images/" + id + "/file")
                    .then().statusCode(200).body("status", equalTo("ACTIVE"));
            Files.delete(file);
            image = id;
        }
        return image;
    }

    private static String allocate(String hostId) throws Exception {
        return given().contentType(ContentType.JSON).body("""
                        {"computeName":"os-vm","flavour":{"virtualCpu":1,"virtualMemory":512,"disk":1},
                         "vcImageId":"%s","hostId":"%s","metadata":{"owner":"os-test"}}""".formatted(image(), hostId))
                .post("/mm6/v1/compute").then().statusCode(201)
                .body("operationalState", equalTo("RUNNING")).body("hostId", equalTo(hostId))
                .extract().path("computeId");
    }

    private static void operate(String computeId, String operation, String expected) {
        given().contentType(ContentType.JSON).body("{\"operation\":\"" + operation + "\",\"gracefulTimeoutSeconds\":5}")
                .post("/mm6/v1/compute/" + computeId + "/operate").then().statusCode(200)
                .body("operationalState", equalTo(expected));
    }

    private static ObjectNode serverNamed(String computeId) {
        synchronized (FakeCloudResource.fake) {
            return FakeCloudResource.fake.servers.values().stream()
                    .filter(s -> s.path("name").asText().equals(computeId)).findFirst().orElse(null);
        }
    }

    @Test
    void theHostsOfTheCloudAreReachable() {
        given().get("/mm4/v1/hosts/os-1").then().statusCode(200).body("state", equalTo("REACHABLE"))
                .body("driver", equalTo("openstack"));
        given().get("/mm4/v1/hosts/os-2").then().statusCode(200).body("state", equalTo("REACHABLE"));
    }

    @Test
    void mm6LifecycleOnAnOpenStackHost() throws Exception {
        String computeId = allocate("os-1");
        ObjectNode server = serverNamed(computeId);
        assertThat(server).as("Nova server named by the computeId").isNotNull();
        assertThat(server.path("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("compute1");
        assertThat(server.path("metadata").path("owner").asText()).isEqualTo("os-test");
        // The image went to Glance once, streamed, and the server was created on the host, without a NIC.
        FakeCloudResource.server.verify(putRequestedFor(urlMatching("/image/v2/images/[0-9a-f-]+/file"))
                .withHeader("Content-Type", WireMock.equalTo("application/octet-stream")));
        FakeCloudResource.server.verify(postRequestedFor(urlEqualTo("/compute/v2.1/servers"))
                .withRequestBody(matchingJsonPath("$.server.host", WireMock.equalTo("compute1")))
                .withRequestBody(matchingJsonPath("$.server.networks", WireMock.equalTo("none"))));

        given().get("/mm6/v1/compute/" + computeId).then().statusCode(200).body("hostId", equalTo("os-1"))
                .body("zoneId", equalTo("zone-os")).body("operationalState", equalTo("RUNNING"));

        operate(computeId, "STOP", "STOPPED");
        assertThat(serverNamed(computeId).path("status").asText()).isEqualTo("SHUTOFF");
        operate(computeId, "START", "RUNNING");
        operate(computeId, "PAUSE", "PAUSED");
        assertThat(serverNamed(computeId).path("status").asText()).isEqualTo("PAUSED");
        given().contentType(ContentType.JSON).body("{\"operation\":\"START\"}")
                .post("/mm6/v1/compute/" + computeId + "/operate").then().statusCode(409);
        operate(computeId, "UNPAUSE", "RUNNING");
        operate(computeId, "REBOOT", "RUNNING");

        given().contentType(ContentType.JSON).body("{\"metadata\":{\"owner\":null,\"tier\":\"gold\"}}")
                .patch("/mm6/v1/compute/" + computeId).then().statusCode(200).body("metadata.tier", equalTo("gold"));
        assertThat(serverNamed(computeId).path("metadata").path("tier").asText()).isEqualTo("gold");
        assertThat(serverNamed(computeId).path("metadata").has("owner")).isFalse();

        given().delete("/mm6/v1/compute/" + computeId + "?terminationType=GRACEFUL&gracefulTimeoutSeconds=5")
                .then().statusCode(204);
        given().get("/mm6/v1/compute/" + computeId).then().statusCode(404);
        assertThat(serverNamed(computeId)).as("server deleted from Nova").isNull();
    }

    @Test
    void capacityIsPlacementsWithTheCloudsRatiosAndOthersUsage() throws Exception {
        JsonPath before = given().get("/mm4/v1/capacity?hostId=os-2").then().statusCode(200).extract().jsonPath();
        // Placement: VCPU 8 x 4.0, MEMORY_MB 16384 - 512 reserved, DISK_GB 100; another tenant holds 2 / 2048 / 10.
        assertThat(before.getLong("hosts[0].vcpu.total")).isEqualTo(8);
        // Others' 2 vCPUs are reserved in host CPUs, rounded up (never promise what Placement would refuse):
        // ceil(2 / 4.0) = 1 CPU, so (8 - 1) x 4 = 28 vCPUs for the VIM.
        assertThat(before.getLong("hosts[0].vcpu.reserved")).isEqualTo(1);
        assertThat(before.getLong("hosts[0].vcpu.available")).isEqualTo(28);
        assertThat(before.getLong("hosts[0].memoryMiB.reserved")).isEqualTo(512 + 2048);
        assertThat(before.getLong("hosts[0].memoryMiB.available")).isEqualTo(16384 - 512 - 2048);
        assertThat(before.getLong("hosts[0].diskGiB.available")).isEqualTo(90);

        String computeId = allocate("os-2");
        try {
            JsonPath during = given().get("/mm4/v1/capacity?hostId=os-2").then().extract().jsonPath();
            assertThat(during.getLong("hosts[0].memoryMiB.allocated")).isEqualTo(512);
            assertThat(during.getLong("hosts[0].memoryMiB.available"))
                    .isEqualTo(before.getLong("hosts[0].memoryMiB.available") - 512);
            // More memory than Placement would grant: refused before Nova is asked.
            given().contentType(ContentType.JSON).body("""
                            {"computeName":"huge","flavour":{"virtualCpu":1,"virtualMemory":%d,"disk":1},
                             "vcImageId":"%s","hostId":"os-2"}""".formatted(during.getLong("hosts[0].memoryMiB.available") + 1,
                            image()))
                    .post("/mm6/v1/compute").then().statusCode(409).body("detail", containsString("memory"));
        } finally {
            given().delete("/mm6/v1/compute/" + computeId + "?terminationType=FORCEFUL").then().statusCode(204);
        }
    }

    @Test
    void liveMigrationBetweenTwoComputeHostsOfTheCloud() throws Exception {
        String computeId = allocate("os-1");
        try {
            String migrationId = given().contentType(ContentType.JSON).body("{\"targetHostId\":\"os-2\"}")
                    .post("/mm6/v1/compute/" + computeId + "/migrate").then().statusCode(202)
                    .extract().path("migrationId");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String state;
            do {
                Thread.sleep(100);
                state = given().get("/mm6/v1/migrations/" + migrationId).then().statusCode(200).extract().path("state");
            } while (!state.equals("COMPLETED") && !state.equals("FAILED") && System.nanoTime() < deadline);
            given().get("/mm6/v1/migrations/" + migrationId).then().body("state", equalTo("COMPLETED"))
                    .body("statistics.memoryTotalBytes", equalTo(512 << 20));
            given().get("/mm6/v1/compute/" + computeId).then().body("hostId", equalTo("os-2"))
                    .body("operationalState", equalTo("RUNNING"));
            assertThat(serverNamed(computeId).path("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("compute2");
            FakeCloudResource.server.verify(postRequestedFor(urlMatching("/compute/v2.1/servers/[0-9a-f-]+/action"))
                    .withHeader("X-OpenStack-Nova-API-Version", WireMock.equalTo("2.74"))
                    .withRequestBody(matchingJsonPath("$.os-migrateLive.host", WireMock.equalTo("compute2")))
                    .withRequestBody(matchingJsonPath("$.os-migrateLive.block_migration", WireMock.equalTo("auto"))));

            // Offline migration is what Nova cannot do the VIM's way: the migration fails saying so, the VM stays.
            String offline = given().contentType(ContentType.JSON)
                    .body("{\"targetHostId\":\"os-1\",\"migrationType\":\"OFFLINE_MIGRATION\"}")
                    .post("/mm6/v1/compute/" + computeId + "/migrate").then().statusCode(202).extract().path("migrationId");
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String end;
            do {
                Thread.sleep(100);
                end = given().get("/mm6/v1/migrations/" + offline).then().extract().path("state");
            } while (!end.equals("FAILED") && !end.equals("COMPLETED") && System.nanoTime() < until);
            given().get("/mm6/v1/migrations/" + offline).then().body("state", equalTo("FAILED"))
                    .body("error", containsString("OFFLINE_MIGRATION is not available on OpenStack hosts"));
            given().get("/mm6/v1/compute/" + computeId).then().body("hostId", equalTo("os-2"))
                    .body("operationalState", equalTo("RUNNING"));
        } finally {
            given().delete("/mm6/v1/compute/" + computeId + "?terminationType=FORCEFUL").then().statusCode(204);
        }
    }

    /**
     * A handover on OpenStack: Nova cannot hold a migration open, so the shadow is the image in the
     * cloud (Glance) only, the record says so, and the execute is Nova's live migration.
     */
    @Test
    void aHandoverOnOpenStackPrestagesTheImageAndTheExecuteLiveMigrates() throws Exception {
        String computeId = given().contentType(ContentType.JSON).body("""
                        {"computeName":"os-follower","flavour":{"virtualCpu":1,"virtualMemory":512,"disk":1},
                         "vcImageId":"%s","hostId":"os-1","mobility":{"ueIds":["ue-os"]}}""".formatted(image()))
                .post("/mm6/v1/compute").then().statusCode(201).extract().path("computeId");
        try {
            String handoffId = given().contentType(ContentType.JSON)
                    .body("{\"ueId\":\"ue-os\",\"candidates\":[{\"cellId\":\"cell-os-2\",\"likelihood\":0.9}]}")
                    .post("/mobility/v1/handover-predictions").then().statusCode(201)
                    .body("shadows[0].hostId", equalTo("os-2")).body("shadows[0].kind", equalTo("IMAGE"))
                    .extract().path("handoffId");
            assertThat(given().get("/mobility/v1/handoffs/" + handoffId).then().extract().jsonPath()
                    .getString("timeline[0].detail")).contains("cannot hold a migration");
            awaitHandoff(handoffId, "PREPARED");
            given().contentType(ContentType.JSON).body("{\"targetCellId\":\"cell-os-2\"}")
                    .post("/mobility/v1/handoffs/" + handoffId + "/execute").then().statusCode(202);
            awaitHandoff(handoffId, "COMPLETED");
            given().get("/mm6/v1/compute/" + computeId).then().body("hostId", equalTo("os-2"));
            assertThat(given().get("/mobility/v1/handoffs/" + handoffId).then().extract().jsonPath()
                    .getList("timeline.event")).contains("executed", "migration-started", "live-on-target");
        } finally {
            given().delete("/mm6/v1/compute/" + computeId + "?terminationType=FORCEFUL").then().statusCode(204);
        }
    }

    private static void awaitHandoff(String handoffId, String wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String state;
        do {
            Thread.sleep(50);
            state = given().get("/mobility/v1/handoffs/" + handoffId).then().extract().path("state");
        } while (!state.equals(wanted) && !state.matches("COMPLETED|FAILED|CANCELLED|EXPIRED")
                && System.nanoTime() < deadline);
        assertThat(state).as("handoff " + handoffId).isEqualTo(wanted);
    }

    @Test
    void aHostOfAnUnconfiguredCloudIsRefusedAtRegistration() {
        given().contentType(ContentType.JSON).body("""
                        {"name":"os-9","driver":"openstack","uri":"openstack://elsewhere/compute9","zoneId":"zone-os"}""")
                .post("/mm4/v1/hosts").then().statusCode(400).body("field", equalTo("uri"))
                .body("detail", containsString("no cloud 'elsewhere'"));
    }
}
