package org.edgevim.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Mm6 lifecycle on the real 2-host lab: every step is checked through the API, on the host itself
 * (virsh), and in the guest (its console ticks).
 */
@QuarkusTest
@TestProfile(LabProfile.class)
@Tag("lab")
class ComputeLifecycleLabTest {

    private static final Duration BOOT = Duration.ofSeconds(90);
    private String computeId;

    private String allocate(String extra) {
        return given().contentType(ContentType.JSON)
                .body("""
                        {"computeName":"lab-vm","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                         "vcImageId":"%s","metadata":{"owner":"lab-test"}%s}""".formatted(GuestImages.labGuest(), extra))
                .post("/mm6/v1/compute").then().statusCode(201)
                .body("operationalState", equalTo("RUNNING"))
                .extract().path("computeId");
    }

    private void operate(String operation, String expectedState) {
        given().contentType(ContentType.JSON).body("{\"operation\":\"" + operation + "\",\"gracefulTimeoutSeconds\":30}")
                .post("/mm6/v1/compute/" + computeId + "/operate").then().statusCode(200)
                .body("operationalState", equalTo(expectedState));
    }

    @AfterEach
    void removeLeftovers() {
        if (computeId != null) {
            given().delete("/mm6/v1/compute/" + computeId + "?terminationType=FORCEFUL");
        }
    }

    @Test
    void fullLifecycleOnHostTwo() {
        computeId = allocate(",\"hostId\":\"edge-2\"");
        given().get("/mm6/v1/compute/" + computeId).then().statusCode(200)
                .body("hostId", equalTo("edge-2")).body("zoneId", equalTo("zone-lab"))
                .body("flavour.virtualMemory", equalTo(256)).body("metadata.owner", equalTo("lab-test"));
        assertThat(Lab.hasDomain(2, computeId)).as("domain on edge-2").isTrue();
        assertThat(Lab.hasDomain(1, computeId)).as("domain on edge-1").isFalse();
        assertThat(Lab.hasVolume(2, computeId + ".qcow2")).as("overlay volume on edge-2").isTrue();

        // The guest's service runs: its counter advances.
        Lab.Tick first = Lab.awaitTick("edge-2", computeId, BOOT, t -> true);
        Lab.awaitTick("edge-2", computeId, Duration.ofSeconds(20), t -> t.count() >= first.count() + 2);

        // PAUSE: the counter stops; UNPAUSE: it goes on in the same boot.
        operate("PAUSE", "PAUSED");
        assertThat(Lab.virsh(2, "domstate", computeId)).contains("paused");
        Lab.Tick paused = Lab.lastTick("edge-2", computeId);
        Lab.sleep(Duration.ofSeconds(3));
        assertThat(Lab.lastTick("edge-2", computeId)).isEqualTo(paused);
        operate("UNPAUSE", "RUNNING");
        Lab.awaitTick("edge-2", computeId, Duration.ofSeconds(20),
                t -> t.bootId().equals(first.bootId()) && t.count() > paused.count());

        // Conflicts: operations that the state does not allow.
        given().contentType(ContentType.JSON).body("{\"operation\":\"UNPAUSE\"}")
                .post("/mm6/v1/compute/" + computeId + "/operate").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("RUNNING"));
        given().contentType(ContentType.JSON).body("{\"operation\":\"START\"}")
                .post("/mm6/v1/compute/" + computeId + "/operate").then().statusCode(409);

        // STOP (graceful: the guest powers off on ACPI), then START: a new boot.
        operate("STOP", "STOPPED");
        assertThat(Lab.virsh(2, "domstate", computeId)).contains("shut off");
        given().get("/mm6/v1/compute?operationalState=STOPPED").then().body("computeId", hasItem(computeId));
        operate("START", "RUNNING");
        Lab.Tick afterStart = Lab.awaitTick("edge-2", computeId, BOOT, t -> !t.bootId().equals(first.bootId()));

        // REBOOT: yet another boot id.
        operate("REBOOT", "RUNNING");
        Lab.awaitTick("edge-2", computeId, BOOT,
                t -> !t.bootId().equals(first.bootId()) && !t.bootId().equals(afterStart.bootId()));

        // Metadata update (merge patch) is stored and shown.
        given().contentType(ContentType.JSON).body("{\"metadata\":{\"owner\":null,\"tier\":\"gold\"}}")
                .patch("/mm6/v1/compute/" + computeId).then().statusCode(200)
                .body("metadata.tier", equalTo("gold")).body("metadata", not(org.hamcrest.Matchers.hasKey("owner")));
        assertThat(Lab.virsh(2, "metadata", computeId, "urn:edgevim:compute:1")).contains("gold").doesNotContain("lab-test");

        // Graceful terminate: domain and overlay gone, record gone.
        given().delete("/mm6/v1/compute/" + computeId + "?terminationType=GRACEFUL&gracefulTimeoutSeconds=30")
                .then().statusCode(204);
        assertThat(Lab.hasDomain(2, computeId)).isFalse();
        assertThat(Lab.hasVolume(2, computeId + ".qcow2")).isFalse();
        given().get("/mm6/v1/compute/" + computeId).then().statusCode(404);
        computeId = null;
    }

    @Test
    void forcefulTerminateLeavesNothing() {
        computeId = allocate(",\"zoneId\":\"zone-lab\"");
        String hostId = given().get("/mm6/v1/compute/" + computeId).then().extract().path("hostId");
        int host = Integer.parseInt(hostId.substring("edge-".length()));
        Lab.awaitTick(hostId, computeId, BOOT, t -> true);

        long start = System.nanoTime();
        given().delete("/mm6/v1/compute/" + computeId + "?terminationType=FORCEFUL").then().statusCode(204);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(Lab.hasDomain(host, computeId)).isFalse();
        assertThat(Lab.hasVolume(host, computeId + ".qcow2")).isFalse();
        computeId = null;
    }

    @Test
    void changesMadeBehindTheVimsBackAreSeen() {
        computeId = allocate(",\"hostId\":\"edge-1\"");
        Lab.virsh(1, "destroy", computeId); // as if the guest crashed or an admin pulled the plug
        Lab.await("record to show STOPPED", Duration.ofSeconds(15), () -> "STOPPED".equals(
                given().get("/mm6/v1/compute?hostId=edge-1").then().extract().path(
                        "find { it.computeId == '" + computeId + "' }.operationalState")));
    }

    @Test
    void theVimReconnectsAfterALibvirtdRestartAndTheGuestRunsOn() {
        computeId = allocate(",\"hostId\":\"edge-1\"");
        Lab.Tick before = Lab.awaitTick("edge-1", computeId, BOOT, t -> true);

        // Restart edge-1's libvirtd as an operator would; QEMU is not libvirtd's to take down.
        Lab.labCommand("restart-daemon", "edge-1");

        // The old connection is dead; the VIM notices and reconnects on its own.
        given().get("/mm4/v1/hosts/edge-1").then().statusCode(200).body("state", equalTo("REACHABLE"));
        given().get("/mm6/v1/compute/" + computeId).then().statusCode(200).body("operationalState", equalTo("RUNNING"));
        // The same guest (same boot id) kept running through the restart.
        Lab.awaitTick("edge-1", computeId, Duration.ofSeconds(30),
                t -> t.bootId().equals(before.bootId()) && t.count() > before.count() + 1);
        // Operations go over the new connection, and lifecycle events reach the VIM again
        // (this profile's periodic reconcile is an hour away).
        operate("PAUSE", "PAUSED");
        Lab.virsh(1, "resume", computeId);
        Lab.await("record to show RUNNING again", Duration.ofSeconds(15), () -> "RUNNING".equals(
                given().get("/mm6/v1/compute?hostId=edge-1").then().extract().path(
                        "find { it.computeId == '" + computeId + "' }.operationalState")));
    }

    @Test
    void anImageTheVimDoesNotKnowIsNotFoundAndLeavesNothing() {
        given().contentType(ContentType.JSON)
                .body("""
                        {"computeName":"ghost","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                         "vcImageId":"no-such-image","hostId":"edge-1"}""")
                .post("/mm6/v1/compute").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no-such-image"));
        given().get("/mm6/v1/compute?hostId=edge-1").then().body("computeName", not(hasItem("ghost")));
        assertThat(Lab.virsh(1, "list", "--all", "--name").lines().filter(l -> !l.isBlank()).toList())
                .as("no domain left on edge-1").allMatch(name -> !name.isBlank() && isKnown(name));
    }

    /** Every domain on the host belongs to a VM the API knows about. */
    private static boolean isKnown(String domainName) {
        return given().get("/mm6/v1/compute/" + domainName.trim()).statusCode() == 200;
    }

    @Test
    void hostsAreReachableAndHealthy() {
        given().get("/mm4/v1/hosts/edge-2").then().statusCode(200).body("state", equalTo("REACHABLE"))
                .body("cells", hasItem("cell-21"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'edge-hosts' }.data.'edge-1'", equalTo("REACHABLE"));
    }
}
