package org.edgevim.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Images for tests, put into the VIM through Mm4 as an orchestrator would: the lab's bootable
 * guest (kernel, initramfs, qcow2 root disk built by {@code lab-setup/lab image}), or small raw
 * images. Found by name when an earlier test of the same JVM already uploaded them.
 */
final class GuestImages {

    static final String GUEST = "edge-guest";

    private GuestImages() {
    }

    /** The id of the ACTIVE lab guest disk image (with its kernel and initramfs), uploading it if needed. */
    static synchronized String labGuest() {
        String existing = activeByName(GUEST);
        if (existing != null) {
            return existing;
        }
        Path dir = Lab.DIR.resolve("image");
        String kernel = upload(GUEST + "-kernel", "aki", dir.resolve("edge-guest.vmlinuz"), "");
        String initrd = upload(GUEST + "-initrd", "ari", dir.resolve("edge-guest.initrd"), "");
        return upload(GUEST, "qcow2", dir.resolve("edge-guest.qcow2"),
                ",\"kernelImageId\":\"%s\",\"ramdiskImageId\":\"%s\"".formatted(kernel, initrd));
    }

    /** Creates an image record and streams the file to it; returns the ACTIVE image's id. */
    static String upload(String name, String diskFormat, Path file, String extraFields) {
        String id = create("{\"name\":\"%s\",\"diskFormat\":\"%s\"%s}".formatted(name, diskFormat, extraFields));
        given().contentType(ContentType.BINARY).body(file.toFile()).put("/mm4/v1/images/" + id + "/file")
                .then().statusCode(200).body("status", equalTo("ACTIVE"));
        return id;
    }

    /** A small ACTIVE raw image (for tests that need an image but never boot it). */
    static synchronized String smallRaw(String name) {
        String existing = activeByName(name);
        if (existing != null) {
            return existing;
        }
        try {
            Path file = Files.createTempFile("raw-image", ".img");
            Files.write(file, new byte[64 * 1024]);
            String id = upload(name, "raw", file, "");
            Files.delete(file);
            return id;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String create(String json) {
        return given().contentType(ContentType.JSON).body(json).post("/mm4/v1/images")
                .then().statusCode(201).extract().path("imageId");
    }

    private static String activeByName(String name) {
        List<String> ids = given().queryParam("name", name).queryParam("status", "ACTIVE").get("/mm4/v1/images")
                .then().statusCode(200).extract().path("imageId");
        return ids.isEmpty() ? null : ids.get(0);
    }
}
