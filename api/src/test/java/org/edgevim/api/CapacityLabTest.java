package org.edgevim.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Mm4 capacity on the real lab: totals are the host's own figures, allocations move the numbers. */
@QuarkusTest
@TestProfile(LabProfile.class)
@Tag("lab")
class CapacityLabTest {

    private static JsonPath capacity() {
        return given().get("/mm4/v1/capacity?hostId=edge-1").then().statusCode(200).extract().jsonPath();
    }

    private static long nodeinfo(String field) {
        return Lab.virsh(1, "nodeinfo").lines().filter(l -> l.startsWith(field))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }

    @Test
    void totalsAreTheHostsOwnAndAllocationsCount() {
        JsonPath before = capacity();
        assertThat(before.getLong("hosts[0].vcpu.total")).isEqualTo(nodeinfo("CPU(s)"));
        assertThat(before.getLong("hosts[0].memoryMiB.total")).isEqualTo(nodeinfo("Memory size") / 1024);
        assertThat(before.getLong("hosts[0].memoryMiB.reserved")).isEqualTo(512);
        assertThat(before.getLong("total.memoryMiB.total")).isEqualTo(before.getLong("hosts[0].memoryMiB.total"));

        String id = given().contentType(ContentType.JSON)
                .body("""
                        {"computeName":"cap","flavour":{"virtualCpu":1,"virtualMemory":300,"disk":2},
                         "vcImageId":"%s","hostId":"edge-1"}""".formatted(GuestImages.labGuest()))
                .post("/mm6/v1/compute").then().statusCode(201).extract().path("computeId");
        try {
            JsonPath during = capacity();
            assertThat(during.getLong("hosts[0].vcpu.allocated")).isEqualTo(before.getLong("hosts[0].vcpu.allocated") + 1);
            assertThat(during.getLong("hosts[0].memoryMiB.allocated"))
                    .isEqualTo(before.getLong("hosts[0].memoryMiB.allocated") + 300);
            assertThat(during.getLong("hosts[0].memoryMiB.available"))
                    .isEqualTo(before.getLong("hosts[0].memoryMiB.available") - 300);
            assertThat(during.getLong("hosts[0].diskGiB.allocated"))
                    .isEqualTo(before.getLong("hosts[0].diskGiB.allocated") + 2);

            // More memory than is left: refused, naming the resource, and nothing is created.
            long tooMuch = during.getLong("hosts[0].memoryMiB.available") + 1;
            given().contentType(ContentType.JSON)
                    .body("""
                            {"computeName":"huge","flavour":{"virtualCpu":1,"virtualMemory":%d,"disk":1},
                             "vcImageId":"%s","hostId":"edge-1"}""".formatted(tooMuch, GuestImages.labGuest()))
                    .post("/mm6/v1/compute").then().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("memory: " + tooMuch + " MiB requested"));
            assertThat(capacity().getLong("hosts[0].memoryMiB.allocated"))
                    .isEqualTo(during.getLong("hosts[0].memoryMiB.allocated"));
        } finally {
            given().delete("/mm6/v1/compute/" + id + "?terminationType=FORCEFUL").then().statusCode(204);
        }
        JsonPath after = capacity();
        assertThat(after.getLong("hosts[0].memoryMiB.allocated")).isEqualTo(before.getLong("hosts[0].memoryMiB.allocated"));
        assertThat(after.getLong("hosts[0].vcpu.available")).isEqualTo(before.getLong("hosts[0].vcpu.available"));
    }

    @Test
    void unknownHostOrZone() {
        given().get("/mm4/v1/capacity?hostId=nope").then().statusCode(404);
        given().get("/mm4/v1/capacity?zoneId=nowhere").then().statusCode(404);
    }
}
