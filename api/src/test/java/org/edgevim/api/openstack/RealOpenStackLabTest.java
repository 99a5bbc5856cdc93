package org.edgevim.api.openstack;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Mm4/Mm6/mobility API against a real OpenStack (Zed) on loopback: {@code bin/test --openstack}
 * brings it up with {@code lab-setup/openstack up} and runs this with its environment. The lab's
 * guest (kernel, initramfs, qcow2) goes through Mm4 into Glance; Nova boots it with TCG on the
 * lab's libvirt hosts. One VM walks through the whole life, in order.
 */
@QuarkusTest
@TestProfile(RealOpenStackProfile.class)
@Tag("openstack-lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealOpenStackLabTest {

    private static String image;
    private static String computeId;

    @Test
    @Order(1)
    void everyComputeHostOfTheCloudIsAReachableEdgeHost() {
        assertThat(RealOpenStackProfile.computeHosts()).as("VIM_OS_COMPUTE_HOSTS and OS_* from "
                + "`eval \"$(lab-setup/openstack env)\"` (bin/test --openstack sets them)").isNotEmpty();
        for (int i = 1; i <= RealOpenStackProfile.computeHosts().size(); i++) {
            given().get("/mm4/v1/hosts/os-" + i).then().statusCode(200).body("state", equalTo("REACHABLE"))
                    .body("driver", equalTo("openstack"));
        }
    }

    @Test
    @Order(2)
    void theLabGuestGoesIntoGlanceThroughMm4() {
        Path dir = Path.of(System.getProperty("lab.dir", "lab-setup/.lab")).resolve("image");
        String kernel = upload("os-guest-kernel", "aki", dir.resolve("edge-guest.vmlinuz"), "");
        String initrd = upload("os-guest-initrd", "ari", dir.resolve("edge-guest.initrd"), "");
        image = upload("os-guest", "qcow2", dir.resolve("edge-guest.qcow2"),
                ",\"kernelImageId\":\"%s\",\"ramdiskImageId\":\"%s\"".formatted(kernel, initrd));
        given().contentType(ContentType.JSON).body("{\"hostIds\":[\"os-1\"]}")
                .post("/mm4/v1/images/" + image + "/prestage").then().statusCode(202);
        await("the image in Glance", Duration.ofMinutes(5), () -> "CACHED".equals(given()
                .get("/mm4/v1/images/" + image).then().extract().path("locations.find { it.hostId == 'os-1' }.state")));
    }

    @Test
    @Order(3)
    void allocateOperateAndCapacityOnNova() {
        computeId = given().contentType(ContentType.JSON).body("""
                        {"computeName":"os-real","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                         "vcImageId":"%s","hostId":"os-1","metadata":{"owner":"openstack-lab"},
                         "mobility":{"ueIds":["ue-os-real"]}}""".formatted(image))
                .post("/mm6/v1/compute").then().statusCode(201).body("hostId", equalTo("os-1"))
                .body("operationalState", equalTo("RUNNING")).extract().path("computeId");
        for (String[] step : new String[][] {{"PAUSE", "PAUSED"}, {"UNPAUSE", "RUNNING"}, {"STOP", "STOPPED"},
                {"START", "RUNNING"}}) {
            given().contentType(ContentType.JSON).body("{\"operation\":\"" + step[0] + "\",\"gracefulTimeoutSeconds\":20}")
                    .post("/mm6/v1/compute/" + computeId + "/operate").then().statusCode(200)
                    .body("operationalState", equalTo(step[1]));
        }
        given().contentType(ContentType.JSON).body("{\"metadata\":{\"stage\":\"tested\"}}")
                .patch("/mm6/v1/compute/" + computeId).then().statusCode(200).body("metadata.stage", equalTo("tested"));
        int allocated = given().get("/mm4/v1/capacity?hostId=os-1").then().statusCode(200).extract()
                .path("hosts[0].memoryMiB.allocated");
        assertThat(allocated).isGreaterThanOrEqualTo(256);
    }

    @Test
    @Order(4)
    void liveMigrationBetweenTheComputeHosts() {
        String migrationId = given().contentType(ContentType.JSON).body("{\"targetHostId\":\"os-2\"}")
                .post("/mm6/v1/compute/" + computeId + "/migrate").then().statusCode(202).extract().path("migrationId");
        await("the live migration", Duration.ofMinutes(10), () -> given().get("/mm6/v1/migrations/" + migrationId)
                .then().extract().<String>path("state").matches("COMPLETED|FAILED|CANCELLED"));
        given().get("/mm6/v1/migrations/" + migrationId).then().body("state", equalTo("COMPLETED"));
        given().get("/mm6/v1/compute/" + computeId).then().body("hostId", equalTo("os-2"))
                .body("operationalState", equalTo("RUNNING"));
    }

    @Test
    @Order(5)
    void aHandoverPrestagesTheImageAndTheExecuteMovesTheVm() {
        String handoffId = given().contentType(ContentType.JSON)
                .body("{\"ueId\":\"ue-os-real\",\"candidates\":[{\"cellId\":\"cell-os-1\",\"likelihood\":0.9}]}")
                .post("/mobility/v1/handover-predictions").then().statusCode(201)
                .body("shadows[0].kind", equalTo("IMAGE")).extract().path("handoffId");
        await("the shadow", Duration.ofMinutes(5), () -> "PREPARED".equals(
                given().get("/mobility/v1/handoffs/" + handoffId).then().extract().path("state")));
        given().contentType(ContentType.JSON).body("{\"targetCellId\":\"cell-os-1\"}")
                .post("/mobility/v1/handoffs/" + handoffId + "/execute").then().statusCode(202);
        await("the handover", Duration.ofMinutes(10), () -> given().get("/mobility/v1/handoffs/" + handoffId)
                .then().extract().<String>path("state").matches("COMPLETED|FAILED|CANCELLED"));
        given().get("/mobility/v1/handoffs/" + handoffId).then().body("state", equalTo("COMPLETED"));
        given().get("/mm6/v1/compute/" + computeId).then().body("hostId", equalTo("os-1"));
    }

    @Test
    @Order(6)
    void terminateRemovesTheServer() {
        given().delete("/mm6/v1/compute/" + computeId + "?terminationType=GRACEFUL&gracefulTimeoutSeconds=10")
                .then().statusCode(204);
        given().get("/mm6/v1/compute/" + computeId).then().statusCode(404);
        given().delete("/mm4/v1/images/" + image).then().statusCode(204);
    }

    private static String upload(String name, String format, Path file, String extra) {
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\":\"%s\",\"diskFormat\":\"%s\"%s}".formatted(name, format, extra))
                .post("/mm4/v1/images").then().statusCode(201).extract().path("imageId");
        given().contentType(ContentType.BINARY).body(file.toFile()).put("/mm4/v1/images/" + id + "/file").then()
                .statusCode(200).body("status", equalTo("ACTIVE"));
        return id;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
