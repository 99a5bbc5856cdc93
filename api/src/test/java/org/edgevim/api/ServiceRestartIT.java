package org.edgevim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged service, stopped and started again on the same H2 file, still knows its hosts and
 * VMs, and the VM is still running on its host. Runs the real jar as an operator would.
 */
class ServiceRestartIT {

    private static final int PORT = 18089;
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process service;
    private String computeId;
    private String handoffId;

    @Test
    void recordsSurviveARestart() throws Exception {
        Path data = Files.createTempDirectory("vim-restart-");
        service = start(data);
        send("POST", "/mm4/v1/hosts", """
                {"name":"edge-1","driver":"libvirt","uri":"%s","zoneId":"zone-lab","cells":["cell-11"]}"""
                .formatted(Lab.uri(1)), 201);
        String disk = uploadLabGuest();
        String created = send("POST", "/mm6/v1/compute", """
                {"computeName":"survivor","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                 "vcImageId":"%s","hostId":"edge-1","metadata":{"k":"v"}}""".formatted(disk), 201);
        computeId = created.replaceAll(".*\"computeId\":\"([^\"]+)\".*", "$1");
        stop();

        service = start(data);
        String after = send("GET", "/mm6/v1/compute/" + computeId, null, 200);
        assertThat(after).contains("\"computeName\":\"survivor\"").contains("\"operationalState\":\"RUNNING\"")
                .contains("\"hostId\":\"edge-1\"").contains("\"k\":\"v\"");
        assertThat(send("GET", "/mm4/v1/hosts", null, 200)).contains("\"hostId\":\"edge-1\"");
        assertThat(send("GET", "/mm4/v1/images/" + disk, null, 200)).contains("\"status\":\"ACTIVE\"")
                .contains("\"hostId\":\"edge-1\",\"state\":\"CACHED\"");
        String id = computeId;
        send("DELETE", "/mm6/v1/compute/" + id + "?terminationType=FORCEFUL", null, 204);
        computeId = null;
        assertThat(Lab.hasDomain(1, id)).isFalse();
    }

    /**
     * The VIM is killed (SIGKILL) while it migrates a VM. libvirt carries the peer-to-peer migration
     * on (or gives it up) without the VIM; the restarted VIM settles it: either COMPLETED with the
     * record on the target, or rolled back with the record on the source. Either way exactly one host
     * runs the VM, the record names that host, and the other host keeps nothing of it.
     */
    @Test
    void aMigrationCutOffByACrashEndsConsistent() throws Exception {
        Path data = Files.createTempDirectory("vim-crash-");
        service = start(data);
        registerLabHosts(2);
        String disk = uploadLabGuest();
        computeId = field(send("POST", "/mm6/v1/compute", """
                {"computeName":"crash","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                 "vcImageId":"%s","hostId":"edge-1"}"""
                .formatted(disk), 201), "computeId");
        Lab.awaitTick("edge-1", computeId, Duration.ofSeconds(90), t -> t.count() >= 2);

        // A slow copy (2 MiB/s of an idle guest's memory: it converges, in some seconds), so that the
        // VIM can be killed in the middle of it.
        String migrationId = send("POST", "/mm6/v1/compute/" + computeId + "/migrate",
                "{\"targetHostId\":\"edge-2\",\"bandwidthMiBps\":2}", 202)
                .replaceAll(".*\"migrationId\":\"([^\"]+)\".*", "$1");
        Lab.await("the copy to be under way", Duration.ofSeconds(60), () -> {
            try {
                return send("GET", "/mm6/v1/migrations/" + migrationId, null, 200).contains("\"state\":\"MIGRATING\"");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        service = start(data);

        Lab.await("the restarted VIM to settle the migration", Duration.ofSeconds(180), () -> {
            try {
                return send("GET", "/mm6/v1/migrations/" + migrationId, null, 200)
                        .matches(".*\"state\":\"(COMPLETED|FAILED)\".*");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String vm = send("GET", "/mm6/v1/compute/" + computeId, null, 200);
        String host = vm.replaceAll(".*\"hostId\":\"([^\"]+)\".*", "$1");
        int on = host.equals("edge-1") ? 1 : 2;
        int other = 3 - on;
        assertThat(vm).contains("\"operationalState\":\"RUNNING\"");
        assertThat(Lab.virsh(on, "domstate", computeId)).contains("running");
        assertThat(Lab.hasDomain(other, computeId)).as("no copy on edge-" + other).isFalse();
        assertThat(Lab.hasVolume(other, computeId + ".qcow2")).as("no disk on edge-" + other).isFalse();
        String settled = send("GET", "/mm6/v1/migrations/" + migrationId, null, 200);
        assertThat(settled).contains(on == 2 ? "\"state\":\"COMPLETED\"" : "\"state\":\"FAILED\"");
    }

    /**
     * The VIM is killed while a memory shadow is held (a migration kept in sync, waiting for the
     * handover). Nobody paces or releases that copy any more: the restarted VIM aborts it (the VM
     * serves on from its source) and builds the shadow again -- or, if the copy ended by itself
     * meanwhile, records that the VM already runs on the candidate. The handover then completes.
     */
    @Test
    void aHeldShadowCutOffByACrashIsRebuiltAndTheHandoverStillWorks() throws Exception {
        Path data = Files.createTempDirectory("vim-crash-shadow-");
        service = start(data);
        registerLabHosts(2);
        String disk = uploadLabGuest();
        computeId = field(send("POST", "/mm6/v1/compute", """
                {"computeName":"shadowed","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},
                 "vcImageId":"%s","hostId":"edge-1","mobility":{"ueIds":["ue-crash"]},
                 "metadata":{"guest.dirty_mibps":"20","guest.dirty_buf_mib":"32"}}""".formatted(disk), 201), "computeId");
        Lab.Tick before = Lab.awaitTick("edge-1", computeId, Duration.ofSeconds(90), t -> t.count() >= 2);
        handoffId = field(send("POST", "/mobility/v1/handover-predictions",
                "{\"ueId\":\"ue-crash\",\"ttlSeconds\":600,\"candidates\":[{\"cellId\":\"cell-21\"}]}", 201),
                "handoffId");
        awaitHandoff(handoffId, "PREPARED");
        String heldId = send("GET", "/mobility/v1/handoffs/" + handoffId, null, 200)
                .replaceAll(".*\"migrationId\":\"([^\"]+)\".*", "$1");

        service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        service = start(data);

        // Without the VIM's pacing the copy may end by itself before the restarted VIM can abort it.
        // Either way: one host runs the VM, the records say which, and the handoff goes on.
        Lab.await("the orphaned held copy to be settled", Duration.ofSeconds(120), () -> get("/mm6/v1/migrations/"
                + heldId).matches("(?s).*\"state\":\"(CANCELLED|COMPLETED)\".*"));
        boolean switchedOver = get("/mm6/v1/migrations/" + heldId).contains("\"state\":\"COMPLETED\"");
        awaitHandoff(handoffId, "PREPARED");
        assertThat(get("/mobility/v1/handoffs/" + handoffId))
                .contains(switchedOver ? "switched-over-early" : "shadow-restarted");
        // (a rebuilt memory shadow holds the VM in a migration again: MIGRATING, on its source)
        assertThat(get("/mm6/v1/compute/" + computeId)).contains(switchedOver ? "\"hostId\":\"edge-2\""
                : "\"hostId\":\"edge-1\"").containsPattern("\"operationalState\":\"(RUNNING|MIGRATING)\"");
        assertThat(Lab.virsh(switchedOver ? 2 : 1, "domstate", computeId)).contains("running");

        send("POST", "/mobility/v1/handoffs/" + handoffId + "/execute", "{\"targetCellId\":\"cell-21\"}", 202);
        awaitHandoff(handoffId, "COMPLETED");
        assertThat(get("/mm6/v1/compute/" + computeId)).contains("\"hostId\":\"edge-2\"")
                .contains("\"operationalState\":\"RUNNING\"");
        Lab.awaitTick("edge-2", computeId, Duration.ofSeconds(30),
                t -> t.bootId().equals(before.bootId()) && t.count() > before.count());
        assertThat(Lab.hasDomain(1, computeId)).as("nothing left on edge-1").isFalse();
    }

    /** Lab hosts edge-1..n, edge-i serving cell-i1. */
    private void registerLabHosts(int n) throws Exception {
        for (int i = 1; i <= n; i++) {
            send("POST", "/mm4/v1/hosts", """
                    {"name":"edge-%d","driver":"libvirt","uri":"%s","zoneId":"zone-lab","cells":["cell-%d1"]}"""
                    .formatted(i, Lab.uri(i), i), 201);
        }
    }

    private void awaitHandoff(String handoffId, String state) {
        Lab.await("handoff " + handoffId + " to be " + state, Duration.ofSeconds(120), () -> {
            // the handoff's own state comes before its shadows' in the document
            String own = get("/mobility/v1/handoffs/" + handoffId).replaceAll("(?s)\"shadows\".*", "");
            if (!own.contains("\"state\":\"" + state + "\"")
                    && own.matches("(?s).*\"state\":\"(COMPLETED|CANCELLED|EXPIRED|FAILED)\".*")) {
                throw new AssertionError("handoff ended early: " + get("/mobility/v1/handoffs/" + handoffId));
            }
            return own.contains("\"state\":\"" + state + "\"");
        });
    }

    private String get(String path) {
        try {
            return send("GET", path, null, 200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String field(String json, String name) {
        return json.replaceAll(".*\"" + name + "\":\"([^\"]+)\".*", "$1");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (handoffId != null && service != null && service.isAlive()) {
                // an open handoff's memory shadow holds the VM (MIGRATING): cancel it first
                http.send(request("DELETE", "/mobility/v1/handoffs/" + handoffId, null),
                        HttpResponse.BodyHandlers.ofString());
                Lab.await("the held copy to end", Duration.ofSeconds(60),
                        () -> !get("/mm6/v1/compute/" + computeId).contains("\"MIGRATING\""));
            }
            if (computeId != null && service != null && service.isAlive()) {
                send("DELETE", "/mm6/v1/compute/" + computeId + "?terminationType=FORCEFUL", null, 204);
            }
        } finally {
            computeId = null;
            handoffId = null;
            stop(); // whatever happened above: the next test needs the port
        }
    }

    private Process start(Path data) throws Exception {
        assertThat(JAR).as("packaged service (mvn package)").exists();
        try (java.net.Socket taken = new java.net.Socket("127.0.0.1", PORT)) {
            throw new AssertionError("port " + PORT + " is in use by another process: this test would talk to it");
        } catch (java.net.ConnectException free) {
            // nothing listens: good
        }
        Process p = new ProcessBuilder(List.of("java", "-Dquarkus.http.port=" + PORT, "-Dvim.data-dir=" + data,
                "-jar", JAR.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("service.log").toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(request("GET", "/q/health/live", null), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // still starting
            }
            assertThat(p.isAlive()).as("service died, see " + data.resolve("service.log")).isTrue();
            Thread.sleep(250);
        }
        throw new AssertionError("service did not start; see " + data.resolve("service.log"));
    }

    private void stop() throws InterruptedException {
        if (service != null) {
            service.destroy(); // SIGTERM: a normal shutdown
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
            service = null;
        }
    }

    /** The lab's guest through Mm4 (kernel, initramfs, disk); returns the disk image's id. */
    private String uploadLabGuest() throws Exception {
        Path image = Lab.DIR.resolve("image");
        String kernel = upload("{\"name\":\"k\",\"diskFormat\":\"aki\"}", image.resolve("edge-guest.vmlinuz"));
        String initrd = upload("{\"name\":\"i\",\"diskFormat\":\"ari\"}", image.resolve("edge-guest.initrd"));
        return upload("""
                {"name":"guest","diskFormat":"qcow2","kernelImageId":"%s","ramdiskImageId":"%s"}"""
                .formatted(kernel, initrd), image.resolve("edge-guest.qcow2"));
    }

    /** Creates an image record and uploads the file to it; returns the image id. */
    private String upload(String json, Path file) throws Exception {
        String id = send("POST", "/mm4/v1/images", json, 201).replaceAll(".*\"imageId\":\"([^\"]+)\".*", "$1");
        HttpRequest put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/mm4/v1/images/" + id + "/file"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        HttpResponse<String> response = http.send(put, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("upload " + file + ": " + response.body()).isEqualTo(200);
        return id;
    }

    private String send(String method, String path, String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
        return response.body();
    }

    private static HttpRequest request(String method, String path, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json");
        return builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
