package org.edgevim.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Bad input is a 4xx RFC 7807 problem naming what is wrong, and leaves no VM record behind.
 * Needs no lab: the only host registered here does not exist (nothing listens on 127.0.0.99).
 */
@QuarkusTest
class ProblemResponsesTest {

    /** A valid body; %s takes extra fields. The image "edge-guest" is an ACTIVE (small raw) image. */
    private static final String VALID_WITH_TEMPLATE = """
            {"computeName":"web","flavour":{"virtualCpu":1,"virtualMemory":256,"disk":1},"vcImageId":"edge-guest"%s}""";
    private String validWith;
    private String valid;
    private String imageId;

    @BeforeEach
    void registerAnUnreachableHostAndAnImage() {
        imageId = GuestImages.smallRaw("problem-test-image");
        validWith = VALID_WITH_TEMPLATE.replace("edge-guest", imageId);
        valid = validWith.formatted("");
        given().contentType(ContentType.JSON)
                .body("""
                        {"name":"dead-host","driver":"libvirt","uri":"qemu+tcp://127.0.0.99/system","zoneId":"zone-dead","cells":["cell-99"]}""")
                .post("/mm4/v1/hosts").then().statusCode(201).body("hostId", equalTo("dead-host"))
                .body("state", equalTo("UNREACHABLE"));
    }

    @AfterEach
    void noVmWasLeftBehind() {
        given().get("/mm6/v1/compute").then().statusCode(200).body("$", hasSize(0));
    }

    private static ValidatableResponse allocate(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/mm6/v1/compute").then()
                .contentType("application/problem+json");
    }

    @Test
    void malformedJson() {
        allocate("{\"computeName\": \"web\",").statusCode(400).body("status", equalTo(400))
                .body("detail", startsWith("Malformed JSON"));
    }

    @Test
    void unknownField() {
        allocate(validWith.formatted(",\"colour\":\"red\"")).statusCode(400).body("field", equalTo("colour"))
                .body("detail", containsString("unknown field"));
    }

    @Test
    void missingFlavour() {
        allocate("{\"computeName\":\"web\",\"vcImageId\":\"edge-guest\"}").statusCode(400)
                .body("field", equalTo("flavour"));
    }

    @Test
    void wrongType() {
        allocate(valid.replace("\"virtualCpu\":1", "\"virtualCpu\":\"many\"")).statusCode(400)
                .body("field", equalTo("flavour.virtualCpu"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"virtualCpu\":-1", "\"virtualCpu\":100000", "\"virtualMemory\":-256",
            "\"virtualMemory\":99999999999", "\"disk\":0", "\"disk\":9223372036854775807"})
    void negativeOrAbsurdSizes(String replacement) {
        String key = replacement.substring(0, replacement.indexOf(':'));
        String body = valid.replaceFirst(key + ":\\d+", replacement);
        allocate(body).statusCode(400).body("field", equalTo("flavour." + key.replace("\"", "")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"<script>", "o'brien", "a&b", "../../etc/passwd", "web vm"})
    void hostileComputeNames(String name) {
        allocate(valid.replace("\"web\"", "\"" + name.replace("\"", "\\\"") + "\"")).statusCode(400)
                .body("field", equalTo("computeName"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../edge-guest", "/etc/passwd", "a..b", "<img>"})
    void hostileImageIds(String imageId) {
        allocate(valid.replace(this.imageId, imageId)).statusCode(400).body("field", equalTo("vcImageId"));
    }

    @Test
    void hostileMetadata() {
        allocate(validWith.formatted(",\"metadata\":{\"guest.x\":\"a b; reboot\"}")).statusCode(400)
                .body("field", equalTo("metadata.guest.x"));
        allocate(validWith.formatted(",\"metadata\":{\"<k>\":\"v\"}")).statusCode(400).body("field", equalTo("metadata"));
    }

    @Test
    void hostThatDoesNotExist() {
        allocate(validWith.formatted(",\"hostId\":\"edge-404\"")).statusCode(404)
                .body("detail", containsString("edge-404"));
    }

    @Test
    void hostThatIsUnreachable() {
        allocate(validWith.formatted(",\"hostId\":\"dead-host\"")).statusCode(409)
                .body("detail", containsString("dead-host")).body("detail", containsString("unreachable"));
        allocate(validWith.formatted(",\"zoneId\":\"zone-dead\"")).statusCode(409);
    }

    @Test
    void unknownComputeIds() {
        given().get("/mm6/v1/compute/does-not-exist").then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"operation\":\"STOP\"}")
                .post("/mm6/v1/compute/does-not-exist/operate").then().statusCode(404);
        given().delete("/mm6/v1/compute/does-not-exist").then().statusCode(404);
    }

    @Test
    void badOperationAndQueryParameters() {
        given().contentType(ContentType.JSON).body("{\"operation\":\"EXPLODE\"}")
                .post("/mm6/v1/compute/x/operate").then().statusCode(400).body("field", equalTo("operation"));
        given().delete("/mm6/v1/compute/x?terminationType=SOMETIMES").then().statusCode(400)
                .body("field", equalTo("terminationType"));
        given().delete("/mm6/v1/compute/x?gracefulTimeoutSeconds=soon").then().statusCode(400)
                .body("field", equalTo("gracefulTimeoutSeconds"));
        given().get("/mm6/v1/compute?operationalState=DANCING").then().statusCode(400)
                .body("field", equalTo("operationalState"));
    }

    @Test
    void badHostRegistrations() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"Bad Host\",\"driver\":\"libvirt\",\"uri\":\"qemu+tcp://127.0.0.98/system\",\"zoneId\":\"z\"}")
                .post("/mm4/v1/hosts").then().statusCode(400).body("field", equalTo("hostId"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"h1\",\"driver\":\"libvirt\",\"uri\":\"file:///etc/passwd\",\"zoneId\":\"z\"}")
                .post("/mm4/v1/hosts").then().statusCode(400).body("field", equalTo("uri"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"h1\",\"driver\":\"vmware\",\"uri\":\"qemu+tcp://127.0.0.98/system\",\"zoneId\":\"z\"}")
                .post("/mm4/v1/hosts").then().statusCode(400).body("field", equalTo("driver"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"dead-host\",\"driver\":\"libvirt\",\"uri\":\"qemu+tcp://127.0.0.97/system\",\"zoneId\":\"z\"}")
                .post("/mm4/v1/hosts").then().statusCode(409);
        given().get("/mm4/v1/hosts/nope").then().statusCode(404);
    }

    @Test
    void wrongContentType() {
        given().contentType(ContentType.TEXT).body("hello").post("/mm6/v1/compute").then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void openApiDocumentsEveryPath() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/mm6/v1/compute/{computeId}/operate"))
                .body("paths", org.hamcrest.Matchers.hasKey("/mm4/v1/hosts/{hostId}"));
    }

    @Test
    void healthReportsEachHost() {
        given().get("/q/health/ready").then().body("checks.find { it.name == 'edge-hosts' }.data.'dead-host'", equalTo("UNREACHABLE"));
    }
}
