package org.edgevim.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mm4 images without a lab: what the VIM accepts, what it refuses and why, with real qemu-img,
 * real files in the image store and a real HTTP server to import from.
 */
@QuarkusTest
class ImageApiTest {

    private static final Path STORE = Path.of("target/vim-test-data/images");

    @TestHTTPResource("/")
    URL base;

    @Test
    void anUploadedImageIsVerifiedAndDescribed() throws Exception {
        byte[] bytes = randomBytes(3 << 20);
        String id = GuestImages.create("""
                {"name":"app","provider":"acme","version":"1.2","diskFormat":"raw","minDisk":2,"minRam":128,
                 "checksum":{"algorithm":"SHA-256","hash":"%s"},"userMetadata":{"tier":"gold"}}""".formatted(sha256(bytes)));
        given().get("/mm4/v1/images/" + id).then().statusCode(200).body("status", equalTo("QUEUED"))
                .body("containerFormat", equalTo("bare"));

        given().contentType(ContentType.BINARY).body(bytes).put("/mm4/v1/images/" + id + "/file").then()
                .statusCode(200).body("status", equalTo("ACTIVE")).body("size", equalTo(bytes.length))
                .body("virtualSize", equalTo(bytes.length)).body("checksum.hash", equalTo(sha256(bytes)))
                .body("diskFormat", equalTo("raw"));
        assertThat(Files.size(STORE.resolve(id + ".image"))).isEqualTo(bytes.length);

        given().queryParam("version", "1.2").queryParam("status", "ACTIVE").get("/mm4/v1/images").then()
                .statusCode(200).body("imageId", hasItem(id));
        given().contentType(ContentType.JSON).body("{\"version\":\"1.3\",\"userMetadata\":{\"tier\":null,\"team\":\"a\"}}")
                .patch("/mm4/v1/images/" + id).then().statusCode(200).body("version", equalTo("1.3"))
                .body("userMetadata.team", equalTo("a")).body("userMetadata.tier", equalTo(null));
        given().contentType(ContentType.BINARY).body(bytes).put("/mm4/v1/images/" + id + "/file").then()
                .statusCode(409).contentType("application/problem+json");

        given().delete("/mm4/v1/images/" + id).then().statusCode(204);
        given().get("/mm4/v1/images/" + id).then().statusCode(404).contentType("application/problem+json");
        assertThat(STORE.resolve(id + ".image")).doesNotExist();
    }

    @Test
    void aChecksumMismatchKillsTheImageAndRemovesTheBytes() throws Exception {
        String id = GuestImages.create("""
                {"name":"bad-sum","diskFormat":"raw","checksum":{"algorithm":"sha256","hash":"%s"}}"""
                .formatted("0".repeat(64)));
        given().contentType(ContentType.BINARY).body(randomBytes(1 << 20)).put("/mm4/v1/images/" + id + "/file")
                .then().statusCode(400).body("field", equalTo("checksum")).body("detail", containsString("KILLED"));
        given().get("/mm4/v1/images/" + id).then().body("status", equalTo("KILLED"))
                .body("statusReason", containsString("not the declared"));
        assertThat(filesOf(id)).isEmpty();
    }

    @Test
    void aQcow2WithABackingFileOnTheHostIsRefused() throws Exception {
        Path evil = Files.createTempFile("evil", ".qcow2");
        qemuImg("create", "-f", "qcow2", "-u", "-F", "raw", "-b", "/etc/shadow", evil.toString(), "1M");
        String id = GuestImages.create("{\"name\":\"evil\",\"diskFormat\":\"qcow2\"}");

        given().contentType(ContentType.BINARY).body(evil.toFile()).put("/mm4/v1/images/" + id + "/file").then()
                .statusCode(400).body("field", equalTo("file")).body("detail", containsString("backing file"));

        given().get("/mm4/v1/images/" + id).then().body("status", equalTo("KILLED"));
        assertThat(filesOf(id)).isEmpty();
    }

    @Test
    void aQcow2WithAnExternalDataFileIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("datafile");
        Path image = dir.resolve("x.qcow2");
        qemuImg("create", "-f", "qcow2", "-o", "data_file=" + dir.resolve("x.raw"), image.toString(), "1M");
        String id = GuestImages.create("{\"name\":\"evil2\",\"diskFormat\":\"qcow2\"}");

        given().contentType(ContentType.BINARY).body(image.toFile()).put("/mm4/v1/images/" + id + "/file").then()
                .statusCode(400).body("detail", containsString("external data file"));
    }

    @Test
    void aRawClaimOnQcow2BytesIsRefused() throws Exception {
        Path qcow = Files.createTempFile("real", ".qcow2");
        qemuImg("create", "-f", "qcow2", qcow.toString(), "1M");
        String id = GuestImages.create("{\"name\":\"liar\",\"diskFormat\":\"raw\"}");
        given().contentType(ContentType.BINARY).body(qcow.toFile()).put("/mm4/v1/images/" + id + "/file").then()
                .statusCode(400).body("field", equalTo("diskFormat")).body("detail", containsString("bytes are qcow2"));
    }

    @Test
    void aTruncatedUploadLeavesNoActiveImageAndNothingHalfWritten() throws Exception {
        String id = GuestImages.create("{\"name\":\"cut\",\"diskFormat\":\"raw\"}");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /mm4/v1/images/" + id + "/file HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 10000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(randomBytes(2_000_000));
            out.flush();
            Lab.await("the upload to be saving", Duration.ofSeconds(10), () -> "SAVING".equals(status(id)));
        } // the client goes away with 8 MB missing

        Lab.await("the upload to be abandoned", Duration.ofSeconds(20), () -> "QUEUED".equals(status(id)));
        given().get("/mm4/v1/images/" + id).then().body("statusReason", containsString("upload incomplete"));
        assertThat(filesOf(id)).isEmpty();

        byte[] whole = randomBytes(100_000); // and the image takes a complete upload afterwards
        given().contentType(ContentType.BINARY).body(whole).put("/mm4/v1/images/" + id + "/file").then()
                .statusCode(200).body("status", equalTo("ACTIVE"));
    }

    @Test
    void anImageIsImportedFromAnHttpSource() throws Exception {
        byte[] bytes = randomBytes(2 << 20);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/images/app.raw", exchange -> {
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(bytes);
            }
        });
        server.start();
        try {
            String source = "http://127.0.0.1:" + server.getAddress().getPort();
            String ok = GuestImages.create("""
                    {"name":"imported","diskFormat":"raw","sourceUri":"%s/images/app.raw",
                     "checksum":{"algorithm":"SHA-256","hash":"%s"}}""".formatted(source, sha256(bytes)));
            String missing = GuestImages.create("""
                    {"name":"imported-404","diskFormat":"raw","sourceUri":"%s/images/nothing.raw"}""".formatted(source));

            Lab.await("the import", Duration.ofSeconds(20), () -> "ACTIVE".equals(status(ok)));
            given().get("/mm4/v1/images/" + ok).then().body("size", equalTo(bytes.length));
            Lab.await("the failed import", Duration.ofSeconds(20), () -> "KILLED".equals(status(missing)));
            given().get("/mm4/v1/images/" + missing).then().body("statusReason", containsString("HTTP 404"));
            given().contentType(ContentType.BINARY).body(bytes).put("/mm4/v1/images/" + ok + "/file").then()
                    .statusCode(409);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badRequestsAreProblemsNamingTheField() throws IOException {
        createFails("{\"name\":\"<script>\",\"diskFormat\":\"raw\"}", "name");
        createFails("{\"name\":\"../../etc\",\"diskFormat\":\"raw\"}", "name");
        createFails("{\"name\":\"x\",\"diskFormat\":\"vmdk\"}", "diskFormat");
        createFails("{\"name\":\"x\"}", "diskFormat");
        createFails("{\"name\":\"x\",\"diskFormat\":\"raw\",\"checksum\":{\"algorithm\":\"MD5\",\"hash\":\"00\"}}",
                "checksum.algorithm");
        createFails("{\"name\":\"x\",\"diskFormat\":\"raw\",\"checksum\":{\"algorithm\":\"SHA-256\",\"hash\":\"xyz\"}}",
                "checksum.hash");
        createFails("{\"name\":\"x\",\"diskFormat\":\"raw\",\"minRam\":-1}", "minRam");
        createFails("{\"name\":\"x\",\"diskFormat\":\"raw\",\"sourceUri\":\"file:///etc/passwd\"}", "sourceUri");
        createFails("{\"name\":\"x\",\"diskFormat\":\"raw\",\"containerFormat\":\"ova\"}", "containerFormat");
        createFails("{\"name\":\"x\",\"diskFormat\":\"qcow2\",\"kernelImageId\":\"../k\"}", "kernelImageId");
        createFails("{\"name\":\"x\",\"diskFormat\":\"raw\",\"colour\":\"red\"}", "colour");
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"diskFormat\":\"qcow2\",\"kernelImageId\":\"nope\"}")
                .post("/mm4/v1/images").then().statusCode(404);
        given().get("/mm4/v1/images?status=LOST").then().statusCode(400).body("field", equalTo("status"));
        given().get("/mm4/v1/images").then().body("name", not(hasItem("<script>")));

        given().contentType(ContentType.BINARY).body(new byte[10]).put("/mm4/v1/images/no-such-image/file").then()
                .statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.BINARY).body(new byte[10]).put("/mm4/v1/images/..%2F..%2Fetc/file").then()
                .statusCode(404);
        String id = GuestImages.smallRaw("prestage-test");
        given().contentType(ContentType.JSON).body("{\"hostIds\":[]}").post("/mm4/v1/images/" + id + "/prestage")
                .then().statusCode(400).body("field", equalTo("hostIds"));
        given().contentType(ContentType.JSON).body("{\"hostIds\":[\"edge-404\"]}")
                .post("/mm4/v1/images/" + id + "/prestage").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"diskFormat\":\"raw\",\"userMetadata\":{\"k\":\""
                + "v".repeat(2 << 20) + "\"}}").post("/mm4/v1/images").then().statusCode(413);
        String json = "{\"name\":\"x\",\"diskFormat\":\"raw\"}";
        assertThat(rawStatusLine("POST /mm4/v1/images HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(json.length()) + "\r\n"
                + json + "\r\n0\r\n\r\n")).contains(" 411 ");
    }

    /** Sends a hand-written HTTP request (what RestAssured will not send) and returns the status line. */
    private String rawStatusLine(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static void createFails(String json, String field) {
        given().contentType(ContentType.JSON).body(json).post("/mm4/v1/images").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo(field));
    }

    private static String status(String id) {
        return given().get("/mm4/v1/images/" + id).then().extract().path("status");
    }

    private static List<Path> filesOf(String id) throws IOException {
        try (Stream<Path> files = Files.list(STORE)) {
            return files.filter(f -> f.getFileName().toString().startsWith(id)).toList();
        }
    }

    static void qemuImg(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("qemu-img"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("qemu-img %s: %s", command, out).isTrue();
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new java.util.Random(n).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
