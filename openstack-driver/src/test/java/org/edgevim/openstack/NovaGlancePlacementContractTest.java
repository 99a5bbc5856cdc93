package org.edgevim.openstack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgevim.core.capacity.CapacityPolicy;
import org.edgevim.core.driver.BootImages;
import org.edgevim.core.driver.ComputeSpec;
import org.edgevim.core.driver.HostResources;
import org.edgevim.core.driver.MigrationOptions;
import org.edgevim.core.driver.MigrationProgress;
import org.edgevim.core.driver.MigrationTarget;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.error.ConflictException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.image.DiskFormat;
import org.edgevim.core.image.ImageRef;
import org.edgevim.core.image.ImageSource;
import org.edgevim.core.model.ComputeFlavour;
import org.edgevim.core.model.ComputeOperation;
import org.edgevim.core.model.OperationalState;
import org.edgevim.core.model.TerminationType;
import org.junit.jupiter.api.Test;

/** The exact requests for images, servers, capacity and live migration, and how their answers are read. */
class NovaGlancePlacementContractTest extends CloudContract {

    private static final byte[] BYTES = "sixteen bytes!!!".getBytes();
    private static final ImageRef IMAGE = new ImageRef("img-1", DiskFormat.RAW, BYTES.length, SHA);
    private static final String GLANCE_ID = "b2173dd3-7ad6-4362-baa6-a68bce3565cb";
    private static final String SERVER = "/compute/v2.1/servers/" + SERVER_ID;

    private void stubGlanceImage(String status) {
        cloud.stubFor(json(get(urlEqualTo("/image/v2/images?vim_image_id=img-1")), 200, sample("glance-images-list.json",
                "status", status, "size", Integer.toString(BYTES.length), "sha256", SHA)));
    }

    private void stubFlavors() {
        cloud.stubFor(json(get(urlEqualTo("/compute/v2.1/flavors/detail?is_public=None&minRam=512&minDisk=1")), 200,
                sample("nova-flavors-detail.json")));
        cloud.stubFor(json(get(urlEqualTo("/compute/v2.1/flavors/detail?limit=1&marker=1&minDisk=1&minRam=256")), 200,
                "{\"flavors\":[]}"));
    }

    private ComputeSpec spec() {
        return new ComputeSpec(COMPUTE_ID, "app-1", new ComputeFlavour(1, 512, 1), "img-1",
                new BootImages(IMAGE, null, null), Map.of("owner", "tests"), Map.of());
    }

    // --- images ---------------------------------------------------------------------------------

    @Test
    void storingAnImageCreatesAPrivateGlanceImageAndStreamsItsBytes() {
        cloud.stubFor(json(get(urlEqualTo("/image/v2/images?vim_image_id=img-1")), 200, "{\"images\":[]}"));
        cloud.stubFor(json(post(urlEqualTo("/image/v2/images")), 201, sample("glance-image-create-resp.json",
                "sha256", SHA)));
        cloud.stubFor(put(urlEqualTo("/image/v2/images/" + GLANCE_ID + "/file")).willReturn(aResponse().withStatus(204)));
        cloud.stubFor(json(get(urlEqualTo("/image/v2/images/" + GLANCE_ID)), 200, extractFirstImage("active")));
        List<Long> progress = new ArrayList<>();
        driver.images().store(source(), (copied, total) -> progress.add(copied));

        cloud.verify(postRequestedFor(urlEqualTo("/image/v2/images")).withHeader("X-Auth-Token", equalTo(TOKEN))
                .withRequestBody(equalToJson("""
                        {"name":"vim-img-1","disk_format":"raw","container_format":"bare","visibility":"private",
                         "vim_image_id":"img-1","vim_sha256":"%s"}""".formatted(SHA))));
        cloud.verify(putRequestedFor(urlEqualTo("/image/v2/images/" + GLANCE_ID + "/file"))
                .withHeader("Content-Type", equalTo("application/octet-stream"))
                .withHeader("Content-Length", equalTo(Integer.toString(BYTES.length)))
                .withRequestBody(binaryEqualTo(BYTES)));
        assertThat(progress).last().isEqualTo((long) BYTES.length);
        assertThat(driver.images().transferMethod()).isEqualTo("glance");
    }

    @Test
    void anUploadGlanceRefusesAsTooLargeDeletesTheImageAndSaysWhy() {
        cloud.stubFor(json(get(urlEqualTo("/image/v2/images?vim_image_id=img-1")), 200, "{\"images\":[]}"));
        cloud.stubFor(json(post(urlEqualTo("/image/v2/images")), 201, sample("glance-image-create-resp.json",
                "sha256", SHA)));
        cloud.stubFor(put(urlEqualTo("/image/v2/images/" + GLANCE_ID + "/file")).willReturn(aResponse().withStatus(413)
                .withBody("<html><body><h1>413 Request Entity Too Large</h1>Image exceeds the storage quota</body></html>")));
        cloud.stubFor(delete(urlEqualTo("/image/v2/images/" + GLANCE_ID)).willReturn(aResponse().withStatus(204)));
        assertThatThrownBy(() -> driver.images().store(source(), (c, t) -> { })).isInstanceOf(ConflictException.class)
                .hasMessageContaining("HTTP 413").hasMessageContaining("storage quota").hasMessageContaining("quota or size limit");
        cloud.verify(deleteRequestedFor(urlEqualTo("/image/v2/images/" + GLANCE_ID)));
    }

    @Test
    void anImageCountsOnlyWhenActiveWithTheVerifiedSizeAndChecksum() {
        stubGlanceImage("active");
        assertThat(driver.images().find(IMAGE)).contains((long) BYTES.length);
        stubGlanceImage("saving");
        assertThat(driver.images().find(IMAGE)).isEmpty();
        stubGlanceImage("active");
        assertThat(driver.images().find(new ImageRef("img-1", DiskFormat.RAW, BYTES.length, "b".repeat(64)))).isEmpty();
    }

    @Test
    void imageListsAreFollowedThroughTheirNextLinks() {
        String page1 = sample("glance-images-list.json", "status", "queued", "size", "null", "sha256", SHA)
                .replace("\"schema\": \"/v2/schemas/images\",", "\"schema\": \"/v2/schemas/images\", \"next\": \"/v2/images?marker=b2173dd3&vim_image_id=img-1\",");
        cloud.stubFor(json(get(urlEqualTo("/image/v2/images?vim_image_id=img-1")), 200, page1));
        cloud.stubFor(json(get(urlEqualTo("/image/v2/images?marker=b2173dd3&vim_image_id=img-1")), 200,
                sample("glance-images-list.json", "status", "active", "size", Integer.toString(BYTES.length), "sha256", SHA)));
        assertThat(driver.images().find(IMAGE)).contains((long) BYTES.length);
    }

    @Test
    void glanceImportFromAUrlWhereTheCloudOffersWebDownload() {
        cloud.stubFor(json(get(urlEqualTo("/image/v2/info/import")), 200,
                "{\"import-methods\":{\"description\":\"Import methods available.\",\"type\":\"array\",\"value\":[\"glance-direct\",\"web-download\"]}}"));
        cloud.stubFor(post(urlEqualTo("/image/v2/images/" + GLANCE_ID + "/import")).willReturn(aResponse().withStatus(202)));
        Glance glance = new Glance(KeystoneAndErrorsContractTest.cloudOf(driver).forHost("edge-os-1"));
        assertThat(glance.importMethods()).contains("web-download");
        glance.importFromUrl(GLANCE_ID, java.net.URI.create("https://images.example/app.qcow2"));
        cloud.verify(postRequestedFor(urlEqualTo("/image/v2/images/" + GLANCE_ID + "/import")).withRequestBody(
                equalToJson("{\"method\":{\"name\":\"web-download\",\"uri\":\"https://images.example/app.qcow2\"}}")));
    }

    // --- servers --------------------------------------------------------------------------------

    @Test
    void allocateCreatesTheServerOnThisHostWithoutNetworkAndWaitsThroughBuild() {
        stubGlanceImage("active");
        stubFlavors();
        cloud.stubFor(json(post(urlEqualTo("/compute/v2.1/servers")), 202, sample("nova-server-create-resp.json")));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("build").whenScenarioStateIs(STARTED), 200,
                server("BUILD", "spawning", 0, "compute1")).willSetStateTo("built"));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("build").whenScenarioStateIs("built"), 200,
                server("ACTIVE", null, 1, "compute1")));

        var vm = driver.allocate(spec());

        assertThat(vm.state()).isEqualTo(OperationalState.RUNNING);
        assertThat(vm.backendState()).isEqualTo("ACTIVE/power_state=1");
        cloud.verify(postRequestedFor(urlEqualTo("/compute/v2.1/servers"))
                .withHeader("X-OpenStack-Nova-API-Version", equalTo("2.74"))
                .withHeader("OpenStack-API-Version", equalTo("compute 2.74"))
                .withHeader("X-Auth-Token", equalTo(TOKEN))
                .withRequestBody(equalToJson("""
                        {"server":{"name":"%s","imageRef":"%s","flavorRef":"1","host":"compute1","networks":"none",
                          "metadata":{"vim:compute-id":"%s","vim:compute-name":"app-1","vim:image-id":"img-1","owner":"tests"}}}"""
                        .formatted(COMPUTE_ID, GLANCE_ID, COMPUTE_ID))));
        cloud.verify(getRequestedFor(urlEqualTo("/compute/v2.1/flavors/detail?limit=1&marker=1&minDisk=1&minRam=256")));
    }

    @Test
    void aServerThatEndsInErrorIsDeletedAndItsFaultReported() {
        stubGlanceImage("active");
        stubFlavors();
        cloud.stubFor(json(post(urlEqualTo("/compute/v2.1/servers")), 202, sample("nova-server-create-resp.json")));
        stubServer(server("ERROR", null, 0, "compute1").replace("\"description\": null,",
                "\"description\": null, \"fault\": {\"code\": 500, \"created\": \"2019-02-28T03:16:19Z\", \"message\": \"No valid host was found. There are not enough hosts available.\"},"));
        cloud.stubFor(delete(urlEqualTo(SERVER)).willReturn(aResponse().withStatus(204)));
        assertThatThrownBy(() -> driver.allocate(spec())).isInstanceOf(BackendException.class)
                .hasMessageContaining("No valid host was found");
        cloud.verify(deleteRequestedFor(urlEqualTo(SERVER)));
    }

    @Test
    void noMatchingFlavorCreatesAPrivateOneSharedWithTheProject() {
        stubGlanceImage("active");
        cloud.stubFor(json(get(urlEqualTo("/compute/v2.1/flavors/detail?is_public=None&minRam=512&minDisk=1")), 200,
                sample("nova-flavors-detail.json").replace("\"vcpus\": 1", "\"vcpus\": 2")
                        .replaceAll("\"flavors_links\": \\[[^\\]]*\\]", "\"flavors_links\": []")));
        cloud.stubFor(json(post(urlEqualTo("/compute/v2.1/flavors")), 200,
                "{\"flavor\":{\"id\":\"f-vim-1\",\"name\":\"vim-1c-512m-1g\",\"vcpus\":1,\"ram\":512,\"disk\":1}}"));
        cloud.stubFor(post(urlEqualTo("/compute/v2.1/flavors/f-vim-1/action")).willReturn(aResponse().withStatus(200)));
        cloud.stubFor(json(post(urlEqualTo("/compute/v2.1/servers")), 202, sample("nova-server-create-resp.json")));
        stubServer(server("ACTIVE", null, 1, "compute1"));
        driver.allocate(spec());
        cloud.verify(postRequestedFor(urlEqualTo("/compute/v2.1/flavors")).withRequestBody(equalToJson("""
                {"flavor":{"name":"vim-1c-512m-1g","vcpus":1,"ram":512,"disk":1,"os-flavor-access:is_public":false,
                 "description":"Created by the edge VIM for VMs of this size"}}""")));
        cloud.verify(postRequestedFor(urlEqualTo("/compute/v2.1/flavors/f-vim-1/action")).withRequestBody(
                equalToJson("{\"addTenantAccess\":{\"tenant\":\"a6944d763bf64ee6a275f1263fae0352\"}}")));
        cloud.verify(postRequestedFor(urlEqualTo("/compute/v2.1/servers"))
                .withRequestBody(matchingJsonPath("$.server.flavorRef", equalTo("f-vim-1"))));
    }

    @Test
    void operationsAreNovaActionsAndWaitUntilSettled() {
        KeystoneAndErrorsContractTest.cloudOf(driver).serverIds.put(COMPUTE_ID, SERVER_ID);
        cloud.stubFor(post(urlEqualTo(SERVER + "/action")).willReturn(aResponse().withStatus(202)));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("stop").whenScenarioStateIs(STARTED), 200,
                server("ACTIVE", null, 1, "compute1")).willSetStateTo("powering-off"));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("stop").whenScenarioStateIs("powering-off"), 200,
                server("ACTIVE", "powering-off", 1, "compute1")).willSetStateTo("off"));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("stop").whenScenarioStateIs("off"), 200,
                server("SHUTOFF", null, 4, "compute1")));
        assertThat(driver.operate(COMPUTE_ID, ComputeOperation.STOP, Duration.ofSeconds(1))).isEqualTo(OperationalState.STOPPED);
        cloud.verify(postRequestedFor(urlEqualTo(SERVER + "/action")).withRequestBody(equalToJson("{\"os-stop\":null}"))
                .withHeader("X-OpenStack-Nova-API-Version", equalTo("2.74")));
    }

    @Test
    void aServerThatDisappearsMidOperationIsNotFound() {
        KeystoneAndErrorsContractTest.cloudOf(driver).serverIds.put(COMPUTE_ID, SERVER_ID);
        cloud.stubFor(post(urlEqualTo(SERVER + "/action")).willReturn(aResponse().withStatus(202)));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("gone").whenScenarioStateIs(STARTED), 200,
                server("ACTIVE", null, 1, "compute1")).willSetStateTo("deleted"));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("gone").whenScenarioStateIs("deleted"), 404,
                "{\"itemNotFound\":{\"code\":404,\"message\":\"Instance could not be found.\"}}"));
        assertThatThrownBy(() -> driver.operate(COMPUTE_ID, ComputeOperation.PAUSE, Duration.ZERO))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("disappeared");
    }

    @Test
    void findLooksTheServerUpByNameAndOnlyOnThisHost() {
        cloud.stubFor(json(get(urlPathEqualTo("/compute/v2.1/servers/detail")), 200,
                "{\"servers\":[" + stripServerWrapper(server("PAUSED", null, 3, "compute2")) + "]}"));
        assertThat(driver.find(COMPUTE_ID)).isEmpty(); // it runs on compute2
        cloud.verify(getRequestedFor(urlEqualTo("/compute/v2.1/servers/detail?name=%5E" + COMPUTE_ID + "%24")));
        var other = factory.create(host("edge-os-2", "openstack://site-a/compute2"), (h, c, s, r) -> { });
        assertThat(other.find(COMPUTE_ID)).hasValueSatisfying(vm -> assertThat(vm.state()).isEqualTo(OperationalState.PAUSED));
    }

    @Test
    void serverListsFollowServersLinks() {
        String page1 = "{\"servers\":[" + stripServerWrapper(server("ACTIVE", null, 1, "compute1")) + "],"
                + "\"servers_links\":[{\"href\":\"http://nova.internal:8774/v2.1/servers/detail?host=compute1&marker=" + SERVER_ID
                + "\",\"rel\":\"next\"}]}";
        cloud.stubFor(json(get(urlEqualTo("/compute/v2.1/servers/detail?host=compute1")), 200, page1));
        cloud.stubFor(json(get(urlEqualTo("/compute/v2.1/servers/detail?host=compute1&marker=" + SERVER_ID)), 200,
                "{\"servers\":[]}"));
        assertThat(driver.list()).hasSize(1);
    }

    @Test
    void terminateDeletesAndWaitsUntilNovaForgetsTheServer() {
        KeystoneAndErrorsContractTest.cloudOf(driver).serverIds.put(COMPUTE_ID, SERVER_ID);
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("del").whenScenarioStateIs(STARTED), 200,
                server("ACTIVE", null, 1, "compute1")).willSetStateTo("deleting"));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("del").whenScenarioStateIs("deleting"), 200,
                server("ACTIVE", "deleting", 1, "compute1")).willSetStateTo("gone"));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("del").whenScenarioStateIs("gone"), 404, "{}"));
        cloud.stubFor(delete(urlEqualTo(SERVER)).willReturn(aResponse().withStatus(204)));
        cloud.stubFor(json(get(urlPathEqualTo("/compute/v2.1/servers/detail")), 200, "{\"servers\":[]}"));
        driver.terminate(COMPUTE_ID, TerminationType.FORCEFUL, Duration.ZERO);
        cloud.verify(1, deleteRequestedFor(urlEqualTo(SERVER)));
        driver.terminate(COMPUTE_ID, TerminationType.FORCEFUL, Duration.ZERO); // idempotent
        cloud.verify(1, deleteRequestedFor(urlEqualTo(SERVER)));
    }

    // --- capacity -------------------------------------------------------------------------------

    @Test
    void capacityComesFromPlacementWithTheCloudsRatiosAndReservations() {
        cloud.stubFor(json(get(urlEqualTo("/placement/resource_providers?name=compute1")), 200,
                sample("placement-resource-providers.json")));
        String rp = "/placement/resource_providers/99c09379-6e52-4ef8-9a95-b9ce6f68452e";
        cloud.stubFor(json(get(urlEqualTo(rp + "/inventories")), 200, sample("placement-inventories.json")));
        cloud.stubFor(json(get(urlEqualTo(rp + "/usages")), 200, sample("placement-usages.json")));
        cloud.stubFor(json(get(urlEqualTo(rp + "/allocations")), 200, sample("placement-allocations.json")));
        cloud.stubFor(json(get(urlEqualTo("/compute/v2.1/servers/detail?host=compute1")), 200,
                "{\"servers\":[" + stripServerWrapper(server("ACTIVE", null, 1, "compute1")) + "]}"));

        HostResources resources = driver.resources();
        CapacityPolicy policy = driver.capacityPolicy();

        assertThat(resources).isEqualTo(new HostResources(4, 5825, 35, 32));
        // The VIM's server holds 1 VCPU / 512 MB / 1 GB; another consumer 2 / 1024 / 2: reserved for it in host units.
        assertThat(policy.cpuRatio()).isEqualTo(16.0);
        assertThat(policy.memoryRatio()).isEqualTo(1.5);
        assertThat(policy.reserved().vcpu()).isEqualTo(1); // ceil(2 / 16)
        assertThat(policy.reserved().memoryMiB()).isEqualTo(512 + 683); // 512 + ceil(1024 / 1.5)
        assertThat(policy.reserved().diskGiB()).isEqualTo(2);
        cloud.verify(getRequestedFor(urlEqualTo(rp + "/inventories")).withHeader("OpenStack-API-Version",
                equalTo("placement 1.14")).withHeader("X-Auth-Token", equalTo(TOKEN)));
        cloud.verify(1, getRequestedFor(urlEqualTo(rp + "/usages"))); // policy reused the reading
    }

    // --- live migration -------------------------------------------------------------------------

    @Test
    void liveMigrationToAnExplicitHostWithProgressAndCompletion() {
        KeystoneAndErrorsContractTest.cloudOf(driver).serverIds.put(COMPUTE_ID, SERVER_ID);
        cloud.stubFor(post(urlEqualTo(SERVER + "/action")).willReturn(aResponse().withStatus(202)));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("mig").whenScenarioStateIs(STARTED), 200,
                server("ACTIVE", null, 1, "compute1")).willSetStateTo("migrating"));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("mig").whenScenarioStateIs("migrating"), 200,
                server("MIGRATING", "migrating", 1, "compute1")).willSetStateTo("done"));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("mig").whenScenarioStateIs("done"), 200,
                server("ACTIVE", null, 1, "compute2")));
        cloud.stubFor(json(get(urlEqualTo(SERVER + "/migrations")), 200, sample("nova-server-migrations-index.json")));

        driver.migrate(COMPUTE_ID, new MigrationTarget("edge-os-2", "openstack://site-a/compute2"),
                new MigrationOptions(Duration.ofMillis(300), 0));

        cloud.verify(postRequestedFor(urlEqualTo(SERVER + "/action"))
                .withHeader("X-OpenStack-Nova-API-Version", equalTo("2.74"))
                .withRequestBody(equalToJson("{\"os-migrateLive\":{\"host\":\"compute2\",\"block_migration\":\"auto\"}}")));
        var target = factory.create(host("edge-os-2", "openstack://site-a/compute2"), (h, c, s, r) -> { });
        MigrationProgress done = target.completedMigration(COMPUTE_ID);
        assertThat(done.state()).isEqualTo(MigrationProgress.JobState.COMPLETED);
        assertThat(done.memoryTotal()).isEqualTo(123456);
        assertThat(done.elapsed()).isEqualTo(Duration.ofSeconds(10));
        assertThat(done.downtime()).isNull(); // Nova does not measure it
    }

    @Test
    void progressAbortAndForceCompleteUseTheServersMigrationRecord() {
        KeystoneAndErrorsContractTest.cloudOf(driver).serverIds.put(COMPUTE_ID, SERVER_ID);
        stubServer(server("MIGRATING", "migrating", 1, "compute1"));
        cloud.stubFor(json(get(urlEqualTo(SERVER + "/migrations")), 200, sample("nova-server-migrations-index.json")));
        cloud.stubFor(delete(urlEqualTo(SERVER + "/migrations/1")).willReturn(aResponse().withStatus(202)));
        cloud.stubFor(post(urlEqualTo(SERVER + "/migrations/1/action")).willReturn(aResponse().withStatus(202)));

        MigrationProgress progress = driver.migrationProgress(COMPUTE_ID);
        assertThat(progress.state()).isEqualTo(MigrationProgress.JobState.RUNNING);
        assertThat(progress.memoryProcessed()).isEqualTo(12345);
        assertThat(progress.memoryRemaining()).isEqualTo(111111);

        driver.abortMigration(COMPUTE_ID);
        cloud.verify(deleteRequestedFor(urlEqualTo(SERVER + "/migrations/1"))
                .withHeader("X-OpenStack-Nova-API-Version", equalTo("2.74")));
        driver.forceCompleteMigration(COMPUTE_ID);
        cloud.verify(postRequestedFor(urlEqualTo(SERVER + "/migrations/1/action"))
                .withRequestBody(equalToJson("{\"force_complete\":null}")));
    }

    @Test
    void aMigrationNovaRollsBackFailsWithItsRecordStatus() {
        KeystoneAndErrorsContractTest.cloudOf(driver).serverIds.put(COMPUTE_ID, SERVER_ID);
        cloud.stubFor(post(urlEqualTo(SERVER + "/action")).willReturn(aResponse().withStatus(202)));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("fail").whenScenarioStateIs(STARTED), 200,
                server("ACTIVE", null, 1, "compute1")).willSetStateTo("migrating"));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("fail").whenScenarioStateIs("migrating"), 200,
                server("MIGRATING", "migrating", 1, "compute1")).willSetStateTo("back"));
        cloud.stubFor(json(get(urlEqualTo(SERVER)).inScenario("fail").whenScenarioStateIs("back"), 200,
                server("ACTIVE", null, 1, "compute1")));
        cloud.stubFor(json(get(urlEqualTo(SERVER + "/migrations")), 200, "{\"migrations\":[]}"));
        cloud.stubFor(json(get(urlEqualTo("/compute/v2.1/os-migrations?instance_uuid=" + SERVER_ID
                + "&migration_type=live-migration")), 200, "{\"migrations\":[{\"id\":7,\"status\":\"error\"}]}"));
        assertThatThrownBy(() -> driver.migrate(COMPUTE_ID, new MigrationTarget("edge-os-2",
                "openstack://site-a/compute2"), new MigrationOptions(Duration.ofMillis(300), 0)))
                .isInstanceOf(BackendException.class).hasMessageContaining("stays on compute1")
                .hasMessageContaining("says error");
    }

    @Test
    void whatNovaCannotDoIsSaidClearly() {
        assertThatThrownBy(() -> driver.startPaused(COMPUTE_ID)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("OFFLINE_MIGRATION is not available on OpenStack hosts");
        assertThatThrownBy(() -> driver.migrate(COMPUTE_ID, new MigrationTarget("x", "openstack://site-b/c2"),
                new MigrationOptions(Duration.ofMillis(300), 0))).hasMessageContaining("within one cloud");
        driver.prepareMigrationTarget(spec()); // Nova prepares the target itself: no call at all
        assertThat(cloud.getAllServeEvents()).isEmpty();
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static String stripServerWrapper(String serverJson) {
        String trimmed = serverJson.strip();
        return trimmed.substring(trimmed.indexOf(':') + 1, trimmed.lastIndexOf('}')).strip();
    }

    private String extractFirstImage(String status) {
        String list = sample("glance-images-list.json", "status", status, "size", Integer.toString(BYTES.length), "sha256", SHA);
        return list.substring(list.indexOf('[') + 1, list.lastIndexOf(']')).strip();
    }

    private static ImageSource source() {
        return new ImageSource() {
            @Override
            public ImageRef image() {
                return IMAGE;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(BYTES);
            }
        };
    }

}
