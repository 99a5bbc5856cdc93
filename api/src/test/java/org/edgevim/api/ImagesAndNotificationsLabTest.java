package org.edgevim.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.edgevim.api.notify.Receiver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Mm4 images on the real lab: an image uploaded through the API is copied to a host when a VM
 * first boots there, prestaged to several hosts at once, and deleted only when its last VM is
 * gone; subscribers hear of image and capacity changes, and a dead subscriber slows nothing.
 */
@QuarkusTest
@TestProfile(LabProfile.class)
@Tag("lab")
class ImagesAndNotificationsLabTest {

    private static final Path GUEST = Lab.DIR.resolve("image");

    /** A fresh copy of the lab guest under its own id, so no host has it yet. */
    private static String freshGuest(String name) {
        String kernel = GuestImages.upload(name + "-kernel", "aki", GUEST.resolve("edge-guest.vmlinuz"), "");
        String initrd = GuestImages.upload(name + "-initrd", "ari", GUEST.resolve("edge-guest.initrd"), "");
        return GuestImages.upload(name, "qcow2", GUEST.resolve("edge-guest.qcow2"),
                ",\"kernelImageId\":\"%s\",\"ramdiskImageId\":\"%s\",\"minRam\":128".formatted(kernel, initrd));
    }

    private static String allocate(String imageId, String hostId) {
        return given().contentType(ContentType.JSON).body("""
                        {"computeName":"img-vm","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                         "vcImageId":"%s","hostId":"%s"}""".formatted(imageId, hostId))
                .post("/mm6/v1/compute").then().statusCode(201).extract().path("computeId");
    }

    private static void terminate(String computeId) {
        given().delete("/mm6/v1/compute/" + computeId + "?terminationType=FORCEFUL").then().statusCode(204);
    }

    private static JsonPath image(String imageId) {
        return given().get("/mm4/v1/images/" + imageId).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anUploadedImageIsCopiedToAHostWhenAVmFirstBootsThere() {
        String image = freshGuest("on-demand");
        assertThat(Lab.hasVolume(2, image + ".qcow2")).as("edge-2 has no copy yet").isFalse();
        assertThat(image(image).getList("locations")).isEmpty();

        String vm = allocate(image, "edge-2");
        try {
            assertThat(Lab.hasVolume(2, image + ".qcow2")).isTrue();
            JsonPath copied = image(image);
            assertThat(copied.getString("locations[0].hostId")).isEqualTo("edge-2");
            assertThat(copied.getString("locations[0].state")).isEqualTo("CACHED");
            assertThat(copied.getLong("locations[0].bytesCopied")).isEqualTo(copied.getLong("size"));
            // The guest really boots from the copied kernel, initramfs and disk.
            Lab.awaitTick("edge-2", vm, Duration.ofSeconds(90), t -> t.count() >= 2);
            // The host's copy is byte-for-byte the upload (libvirt's own view of the volume).
            assertThat(Lab.virsh(2, "vol-info", "--bytes", image + ".qcow2", "vim"))
                    .contains(Long.toString(copied.getLong("size")));
        } finally {
            terminate(vm);
        }
        assertThat(Lab.hasVolume(2, image + ".qcow2")).as("the cached image stays for the next VM").isTrue();
    }

    @Test
    void prestageCopiesToTwoHostsInParallelAndReportsEach() {
        String image = freshGuest("prestaged");
        given().contentType(ContentType.JSON).body("{\"hostIds\":[\"edge-1\",\"edge-2\"]}")
                .post("/mm4/v1/images/" + image + "/prestage").then().statusCode(202)
                .body("imageId", equalTo(image));

        Lab.await("both hosts to have the image", Duration.ofSeconds(60), () -> image(image)
                .getList("locations.findAll { it.state == 'CACHED' }").size() == 2);
        for (int host = 1; host <= 2; host++) {
            assertThat(Lab.hasVolume(host, image + ".qcow2")).isTrue();
        }
        // edge-1 is registered with its sshd, edge-2 without: the two transfer methods.
        assertThat(image(image).getList("locations.transferMethod")).containsExactly("sftp", "libvirt-stream");
        // The disk image's kernel and initramfs went along: a VM boots there without another copy.
        String kernel = image(image).getString("kernelImageId");
        Lab.await("the kernel on both hosts", Duration.ofSeconds(30), () -> given().get("/mm4/v1/images/" + kernel)
                .then().extract().jsonPath().getList("locations.findAll { it.state == 'CACHED' }").size() == 2);
    }

    @Test
    void deletingAnImageInUseWaitsForItsLastVm() {
        String image = freshGuest("in-use");
        String vm = allocate(image, "edge-1");
        try {
            given().delete("/mm4/v1/images/" + image).then().statusCode(202).body("status", equalTo("PENDING_DELETE"));
            given().contentType(ContentType.JSON).body("""
                            {"computeName":"late","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                             "vcImageId":"%s","hostId":"edge-2"}""".formatted(image))
                    .post("/mm6/v1/compute").then().statusCode(409).contentType("application/problem+json");
            assertThat(Lab.hasVolume(1, image + ".qcow2")).as("the VM still runs on it").isTrue();
        } finally {
            terminate(vm);
        }
        given().get("/mm4/v1/images/" + image).then().statusCode(404);
        assertThat(Lab.hasVolume(1, image + ".qcow2")).as("removed from the host with the record").isFalse();
    }

    @Test
    void subscribersHearOfImagesAndCapacityWhileADeadOneSlowsNothing() throws Exception {
        try (Receiver receiver = Receiver.healthy()) {
            String live = subscribe(receiver.url());
            String dead = subscribe(Receiver.deadUrl());
            try {
                String image = GuestImages.upload("notified", "raw", GUEST.resolve("edge-guest.vmlinuz"), "");
                String vm = allocate(GuestImages.labGuest(), "edge-1");
                long memoryAllocated = given().get("/mm4/v1/capacity?hostId=edge-1").then().extract().jsonPath()
                        .getLong("hosts[0].memoryMiB.allocated");
                terminate(vm);

                Lab.await("the image's ACTIVE notification", Duration.ofSeconds(20), () -> receiver.delivered.stream()
                        .anyMatch(n -> image.equals(n.path("objectId").asText())
                                && "ACTIVE".equals(n.path("payload").path("status").asText())));
                List<String> statuses = receiver.delivered.stream()
                        .filter(n -> image.equals(n.path("objectId").asText()))
                        .map(n -> n.path("payload").path("status").asText()).toList();
                assertThat(statuses).containsSubsequence("QUEUED", "SAVING", "ACTIVE");
                Lab.await("the capacity notification of the allocate", Duration.ofSeconds(20), () ->
                        capacityOfEdgeOne(receiver).stream().anyMatch(n -> memoryAllocated(n) == memoryAllocated));
                Lab.await("the capacity notification of the terminate", Duration.ofSeconds(20), () -> {
                    List<JsonNode> seen = capacityOfEdgeOne(receiver);
                    return !seen.isEmpty() && memoryAllocated(seen.get(seen.size() - 1)) == memoryAllocated - 256;
                });

                JsonPath deadState = given().get("/mm4/v1/subscriptions/" + dead).then().statusCode(200)
                        .extract().jsonPath();
                assertThat(deadState.getInt("delivery.delivered")).isZero();
                assertThat(deadState.getString("delivery.lastError")).isNotBlank();
            } finally {
                given().delete("/mm4/v1/subscriptions/" + live).then().statusCode(204);
                given().delete("/mm4/v1/subscriptions/" + dead).then().statusCode(204);
            }
        }
    }

    private static String subscribe(String callback) {
        return given().contentType(ContentType.JSON).body("""
                        {"callbackUri":"%s","filter":{"notificationTypes":
                          ["SoftwareImageStatusChangeNotification","CapacityChangeNotification"]}}""".formatted(callback))
                .post("/mm4/v1/subscriptions").then().statusCode(201).extract().path("id");
    }

    private static List<JsonNode> capacityOfEdgeOne(Receiver receiver) {
        return receiver.delivered.stream()
                .filter(n -> "CapacityChangeNotification".equals(n.path("notificationType").asText()))
                .filter(n -> "edge-1".equals(n.path("objectId").asText())).toList();
    }

    private static long memoryAllocated(JsonNode notification) {
        return notification.path("payload").path("memoryMiB").path("allocated").asLong(-1);
    }
}
