package org.edgevim.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Mm6 live migration on the real lab: a guest that dirties memory moves from edge-1 to edge-2
 * and keeps counting in the same boot; an aborted migration leaves it running on edge-1 with
 * nothing left on edge-2; and what a migration refuses.
 */
@QuarkusTest
@TestProfile(LabProfile.class)
@Tag("lab")
class MigrationLabTest {

    private String computeId;

    @AfterEach
    void terminate() {
        if (computeId != null) {
            Lab.await("the VM to settle", Duration.ofSeconds(60), () -> !"MIGRATING".equals(
                    given().get("/mm6/v1/compute/" + computeId).then().extract().path("operationalState")));
            given().delete("/mm6/v1/compute/" + computeId + "?terminationType=FORCEFUL").then().statusCode(204);
        }
    }

    private String allocateDirtyingGuest(int dirtyMiBps, int bufferMiB) {
        return given().contentType(ContentType.JSON).body("""
                        {"computeName":"mover","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                         "vcImageId":"%s","hostId":"edge-1",
                         "metadata":{"guest.dirty_mibps":"%d","guest.dirty_buf_mib":"%d"}}"""
                        .formatted(GuestImages.labGuest(), dirtyMiBps, bufferMiB))
                .post("/mm6/v1/compute").then().statusCode(201).extract().path("computeId");
    }

    private static String migrate(String computeId, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/mm6/v1/compute/" + computeId + "/migrate")
                .then().statusCode(202).header("Location", containsString("/mm6/v1/migrations/"))
                .body("state", equalTo("QUEUED")).body("sourceHostId", equalTo("edge-1"))
                .extract().path("migrationId");
    }

    private static JsonPath migration(String migrationId) {
        return given().get("/mm6/v1/migrations/" + migrationId).then().statusCode(200).extract().jsonPath();
    }

    /** Waits for the migration to end (any final state); returns its record. */
    private static JsonPath awaitEnd(String migrationId) {
        Lab.await("the migration to end", Duration.ofSeconds(120),
                () -> migration(migrationId).getString("state").matches("COMPLETED|FAILED|CANCELLED"));
        return migration(migrationId);
    }

    @Test
    void aDirtyingGuestMovesLiveAndKeepsCounting() {
        computeId = allocateDirtyingGuest(5, 32);
        Lab.Tick before = Lab.awaitTick("edge-1", computeId, Duration.ofSeconds(90), t -> t.count() >= 3);

        String migrationId = migrate(computeId, "{\"targetHostId\":\"edge-2\",\"maxDowntimeMs\":300}");
        JsonPath done = awaitEnd(migrationId);
        assertThat(done.getString("state")).as("error: %s", done.getString("error")).isEqualTo("COMPLETED");
        assertThat(done.getLong("statistics.memoryTotalBytes")).isGreaterThan(200L << 20);
        assertThat(done.getLong("statistics.memoryProcessedBytes")).isGreaterThan(0);
        assertThat(done.getLong("statistics.iteration")).isGreaterThanOrEqualTo(1);
        assertThat(done.getLong("statistics.downtimeMs")).isNotNull().isGreaterThanOrEqualTo(0);
        assertThat(done.getString("finishedAt")).isNotNull();

        given().get("/mm6/v1/compute/" + computeId).then().statusCode(200).body("hostId", equalTo("edge-2"))
                .body("operationalState", equalTo("RUNNING"));
        assertThat(Lab.hasDomain(1, computeId)).as("nothing left on edge-1").isFalse();
        assertThat(Lab.hasVolume(1, computeId + ".qcow2")).as("edge-1's disk released").isFalse();
        assertThat(Lab.virsh(2, "domstate", computeId)).contains("running");
        // The same boot keeps counting on edge-2: the guest survived the move intact.
        Lab.awaitTick("edge-2", computeId, Duration.ofSeconds(30),
                t -> t.bootId().equals(before.bootId()) && t.count() > before.count() + 2);
        given().queryParam("computeId", computeId).get("/mm6/v1/migrations").then().statusCode(200)
                .body("[0].migrationId", equalTo(migrationId));
        given().delete("/mm6/v1/migrations/" + migrationId).then().statusCode(409);
    }

    @Test
    void anAbortedMigrationLeavesTheVmOnItsSourceAndNothingOnTheTarget() {
        computeId = allocateDirtyingGuest(20, 64);
        Lab.Tick before = Lab.awaitTick("edge-1", computeId, Duration.ofSeconds(90), t -> t.count() >= 3);

        // 1 MiB/s against 20 MiB/s of dirtying: the copy cannot converge, it stays in pre-copy.
        String migrationId = migrate(computeId, "{\"targetHostId\":\"edge-2\",\"bandwidthMiBps\":1}");
        Lab.await("the copy to run", Duration.ofSeconds(60), () -> {
            JsonPath m = migration(migrationId);
            return m.getString("state").equals("MIGRATING") && m.getLong("statistics.memoryProcessedBytes") > 0;
        });
        // While it moves, the VM is MIGRATING and nothing else may touch it.
        given().get("/mm6/v1/compute/" + computeId).then().body("operationalState", equalTo("MIGRATING"));
        given().contentType(ContentType.JSON).body("{\"operation\":\"PAUSE\"}")
                .post("/mm6/v1/compute/" + computeId + "/operate").then().statusCode(409);
        given().delete("/mm6/v1/compute/" + computeId + "?terminationType=FORCEFUL").then().statusCode(409)
                .body("detail", containsString("MIGRATING"));
        given().contentType(ContentType.JSON).body("{\"targetHostId\":\"edge-2\"}")
                .post("/mm6/v1/compute/" + computeId + "/migrate").then().statusCode(409);

        given().delete("/mm6/v1/migrations/" + migrationId).then().statusCode(202);
        Lab.await("the migration to end", Duration.ofSeconds(60),
                () -> migration(migrationId).getString("state").matches("COMPLETED|FAILED|CANCELLED"));

        assertThat(migration(migrationId).getString("state")).isEqualTo("CANCELLED");
        given().get("/mm6/v1/compute/" + computeId).then().body("hostId", equalTo("edge-1"))
                .body("operationalState", equalTo("RUNNING"));
        assertThat(Lab.hasDomain(2, computeId)).as("no domain on edge-2").isFalse();
        assertThat(Lab.hasVolume(2, computeId + ".qcow2")).as("no disk on edge-2").isFalse();
        Lab.awaitTick("edge-1", computeId, Duration.ofSeconds(30),
                t -> t.bootId().equals(before.bootId()) && t.count() > before.count() + 2);
    }

    @Test
    void offlineMigrationMovesARunningVmStoppedAndStartsItOnTheTarget() {
        computeId = given().contentType(ContentType.JSON).body("""
                        {"computeName":"offline","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                         "vcImageId":"%s","hostId":"edge-1"}""".formatted(GuestImages.labGuest()))
                .post("/mm6/v1/compute").then().statusCode(201).extract().path("computeId");
        Lab.Tick before = Lab.awaitTick("edge-1", computeId, Duration.ofSeconds(90), t -> t.count() >= 2);

        String migrationId = migrate(computeId, "{\"targetHostId\":\"edge-2\",\"migrationType\":\"OFFLINE_MIGRATION\"}");
        JsonPath end = awaitEnd(migrationId);
        assertThat(end.getString("state")).as("error: %s", end.getString("error")).isEqualTo("COMPLETED");
        given().get("/mm6/v1/compute/" + computeId).then().body("hostId", equalTo("edge-2"))
                .body("operationalState", equalTo("RUNNING"));
        // Offline: the guest was shut down and boots anew on edge-2 from its moved disk.
        Lab.awaitTick("edge-2", computeId, Duration.ofSeconds(90), t -> !t.bootId().equals(before.bootId()));
        assertThat(Lab.hasDomain(1, computeId)).isFalse();
        assertThat(Lab.hasVolume(1, computeId + ".qcow2")).isFalse();
    }

    @Test
    void offlineMigrationOfAStoppedVmLeavesItStoppedOnTheTarget() {
        computeId = given().contentType(ContentType.JSON).body("""
                        {"computeName":"parked","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                         "vcImageId":"%s","hostId":"edge-1"}""".formatted(GuestImages.labGuest()))
                .post("/mm6/v1/compute").then().statusCode(201).extract().path("computeId");
        given().contentType(ContentType.JSON).body("{\"operation\":\"STOP\",\"gracefulTimeoutSeconds\":0}")
                .post("/mm6/v1/compute/" + computeId + "/operate").then().statusCode(200)
                .body("operationalState", equalTo("STOPPED"));
        // A stopped VM cannot move live.
        given().contentType(ContentType.JSON).body("{\"targetHostId\":\"edge-2\"}")
                .post("/mm6/v1/compute/" + computeId + "/migrate").then().statusCode(409);

        String migrationId = migrate(computeId, "{\"targetHostId\":\"edge-2\",\"migrationType\":\"OFFLINE_MIGRATION\"}");
        JsonPath end = awaitEnd(migrationId);
        assertThat(end.getString("state")).as("error: %s", end.getString("error")).isEqualTo("COMPLETED");
        given().get("/mm6/v1/compute/" + computeId).then().body("hostId", equalTo("edge-2"))
                .body("operationalState", equalTo("STOPPED"));
        assertThat(Lab.virsh(2, "domstate", computeId)).contains("shut off");
        assertThat(Lab.hasDomain(1, computeId)).isFalse();
        given().contentType(ContentType.JSON).body("{\"operation\":\"START\"}")
                .post("/mm6/v1/compute/" + computeId + "/operate").then().statusCode(200)
                .body("operationalState", equalTo("RUNNING"));
        Lab.awaitTick("edge-2", computeId, Duration.ofSeconds(90), t -> t.count() >= 1);
    }

    @Test
    void badMigrationRequestsAreProblems() {
        String vm = given().contentType(ContentType.JSON).body("""
                        {"computeName":"stay","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                         "vcImageId":"%s","hostId":"edge-1"}""".formatted(GuestImages.labGuest()))
                .post("/mm6/v1/compute").then().statusCode(201).extract().path("computeId");
        computeId = vm;
        problem(vm, "{\"targetHostId\":\"edge-404\"}", 404, null);
        problem(vm, "{\"targetHostId\":\"edge-1\"}", 400, "targetHostId");
        problem(vm, "{\"targetHostId\":\"../x\"}", 400, "targetHostId");
        problem(vm, "{}", 400, "targetHostId");
        problem(vm, "{\"targetHostId\":\"edge-2\",\"migrationType\":\"TELEPORT\"}", 400, "migrationType");
        problem(vm, "{\"targetHostId\":\"edge-2\",\"maxDowntimeMs\":0}", 400, "maxDowntimeMs");
        problem(vm, "{\"targetHostId\":\"edge-2\",\"bandwidthMiBps\":-1}", 400, "bandwidthMiBps");
        problem("no-such-vm", "{\"targetHostId\":\"edge-2\"}", 404, null);
        given().get("/mm6/v1/migrations/no-such-migration").then().statusCode(404);
        given().delete("/mm6/v1/migrations/no-such-migration").then().statusCode(404);
        given().get("/mm6/v1/compute/" + vm).then().body("operationalState", equalTo("RUNNING"))
                .body("hostId", equalTo("edge-1"));
    }

    private static void problem(String computeId, String body, int status, String field) {
        var response = given().contentType(ContentType.JSON).body(body).post("/mm6/v1/compute/" + computeId + "/migrate")
                .then().statusCode(status).contentType("application/problem+json");
        if (field != null) {
            response.body("field", equalTo(field));
        }
    }
}
