package org.edgevim.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import org.edgevim.core.driver.BootImages;
import org.edgevim.core.driver.ComputeSpec;
import org.edgevim.core.image.ImageService;
import org.edgevim.core.model.VirtualCompute;
import org.edgevim.core.driver.MigrationOptions;
import org.edgevim.core.driver.MigrationProgress;
import org.edgevim.core.driver.MigrationTarget;
import org.edgevim.core.model.TerminationType;
import org.edgevim.core.service.ComputeRepository;
import org.edgevim.core.service.HostRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The driver contract's migration primitives on the real lab, below the API (the Mm6 migrate
 * operation and the shadow handoff build on them): prepare the target, migrate a guest that
 * dirties memory, release the source's disk; the guest's counter goes on in the same boot.
 */
@QuarkusTest
@TestProfile(LabProfile.class)
@Tag("lab")
class LiveMigrationPrimitivesLabTest {

    @Inject
    HostRegistry hosts;
    @Inject
    ComputeRepository records;
    @Inject
    ImageService images;

    @Test
    void aDirtyingGuestMovesFromEdgeOneToEdgeTwoAlive() {
        String id = given().contentType(ContentType.JSON)
                .body("""
                        {"computeName":"mover","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                         "vcImageId":"%s","hostId":"edge-1",
                         "metadata":{"guest.dirty_mibps":"5","guest.dirty_buf_mib":"32"}}""".formatted(GuestImages.labGuest()))
                .post("/mm6/v1/compute").then().statusCode(201).extract().path("computeId");
        try {
            Lab.Tick before = Lab.awaitTick("edge-1", id, Duration.ofSeconds(90), t -> t.count() >= 3);
            VirtualCompute vm = records.find(id).orElseThrow();
            BootImages boot = images.bootImagesFor(vm.vcImageId(), vm.flavour());
            images.ensureOnHost(boot, "edge-2"); // the target needs the base image under the VM's overlay
            ComputeSpec spec = ComputeSpec.of(vm, boot);

            hosts.driver("edge-2").prepareMigrationTarget(spec);
            assertThat(Lab.hasVolume(2, id + ".qcow2")).isTrue();
            hosts.driver("edge-1").migrate(id, new MigrationTarget("edge-2", Lab.uri(2)),
                    new MigrationOptions(Duration.ofMillis(300), 0));

            assertThat(Lab.virsh(2, "domstate", id)).contains("running");
            assertThat(Lab.hasDomain(1, id)).as("source definition removed").isFalse();
            assertThat(hosts.driver("edge-2").migrationProgress(id).state())
                    .isIn(MigrationProgress.JobState.NONE, MigrationProgress.JobState.COMPLETED);
            // The same boot keeps counting on the target: the guest survived the move intact.
            Lab.awaitTick("edge-2", id, Duration.ofSeconds(30),
                    t -> t.bootId().equals(before.bootId()) && t.count() > before.count() + 2);

            hosts.driver("edge-1").releaseDisk(id);
            assertThat(Lab.hasVolume(1, id + ".qcow2")).as("source disk released").isFalse();
        } finally {
            hosts.driver("edge-2").terminate(id, TerminationType.FORCEFUL, Duration.ZERO);
            given().delete("/mm6/v1/compute/" + id + "?terminationType=FORCEFUL"); // the record (edge-1 no longer has it)
        }
        assertThat(Lab.hasDomain(2, id)).isFalse();
        assertThat(Lab.hasVolume(2, id + ".qcow2")).isFalse();
    }
}
