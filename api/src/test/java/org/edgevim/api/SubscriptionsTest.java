package org.edgevim.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mm4 subscriptions: create, read, delete, and bad input as 400 problems naming the field. */
@QuarkusTest
class SubscriptionsTest {

    /** Nothing listens there; these tests publish nothing, so nothing is sent. */
    private static final String CALLBACK = "http://127.0.0.1:9/notifications";

    @AfterEach
    void deleteAll() {
        List<String> ids = given().get("/mm4/v1/subscriptions").then().statusCode(200).extract().path("id");
        ids.forEach(id -> given().delete("/mm4/v1/subscriptions/" + id).then().statusCode(204));
    }

    private static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/mm4/v1/subscriptions").then();
    }

    @Test
    void createGetListDelete() {
        ValidatableResponse created = post("""
                {"callbackUri":"%s","filter":{"notificationTypes":["CapacityChangeNotification"]}}""".formatted(CALLBACK))
                .statusCode(201)
                .body("callbackUri", equalTo(CALLBACK))
                .body("filter.notificationTypes", equalTo(List.of("CapacityChangeNotification")))
                .body("createdAt", notNullValue())
                .body("delivery.pending", equalTo(0))
                .body("delivery.delivered", equalTo(0))
                .body("delivery.failed", equalTo(0))
                .body("delivery.lastError", nullValue())
                .body("delivery.lastAttemptAt", nullValue());
        String id = created.extract().path("id");
        String createdAt = created.extract().path("createdAt");
        created.header("Location", endsWith("/mm4/v1/subscriptions/" + id));

        given().get("/mm4/v1/subscriptions/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("callbackUri", equalTo(CALLBACK))
                .body("createdAt", equalTo(createdAt))
                .body("filter.notificationTypes", equalTo(List.of("CapacityChangeNotification")));
        given().get("/mm4/v1/subscriptions").then().statusCode(200).body("id", hasItem(id));

        given().delete("/mm4/v1/subscriptions/" + id).then().statusCode(204);
        given().get("/mm4/v1/subscriptions/" + id).then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString(id));
        given().delete("/mm4/v1/subscriptions/" + id).then().statusCode(404).contentType("application/problem+json");
        given().get("/mm4/v1/subscriptions").then().statusCode(200).body("id", not(hasItem(id)));
    }

    @Test
    void noFilterMeansEveryType() {
        post("{\"callbackUri\":\"https://orchestrator.example:8443/vim/events\"}").statusCode(201)
                .body("filter", anEmptyMap());
        post("{\"callbackUri\":\"%s\",\"filter\":{}}".formatted(CALLBACK)).statusCode(201)
                .body("filter", anEmptyMap());
    }

    @Test
    void duplicateTypesAreListedOnce() {
        post("""
                {"callbackUri":"%s","filter":{"notificationTypes":["SoftwareImageStatusChangeNotification",
                "CapacityChangeNotification","SoftwareImageStatusChangeNotification"]}}""".formatted(CALLBACK))
                .statusCode(201).body("filter.notificationTypes",
                        equalTo(List.of("SoftwareImageStatusChangeNotification", "CapacityChangeNotification")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not a uri", "/relative/path", "orchestrator:8080/x", "ftp://host/x",
            "file:///etc/passwd", "http:///no-host", "mailto:ops@example.com", "javascript:alert(1)"})
    void badCallbackUris(String callbackUri) {
        post("{\"callbackUri\":\"%s\"}".formatted(callbackUri)).statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("callbackUri"));
    }

    @Test
    void missingCallbackUri() {
        post("{\"filter\":{}}").statusCode(400).body("field", equalTo("callbackUri"));
    }

    @Test
    void badFilters() {
        post("""
                {"callbackUri":"%s","filter":{"notificationTypes":["CapacityChangeNotification","Gossip"]}}"""
                .formatted(CALLBACK)).statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("filter.notificationTypes")).body("detail", containsString("Gossip"));
        post("{\"callbackUri\":\"%s\",\"filter\":{\"notificationTypes\":[]}}".formatted(CALLBACK)).statusCode(400)
                .body("field", equalTo("filter.notificationTypes"));
        post("{\"callbackUri\":\"%s\",\"filter\":{\"notificationTypes\":[null]}}".formatted(CALLBACK)).statusCode(400)
                .body("field", equalTo("filter.notificationTypes"));
        post("{\"callbackUri\":\"%s\",\"filter\":{\"notificationTypes\":\"CapacityChangeNotification\"}}"
                .formatted(CALLBACK)).statusCode(400).body("field", equalTo("filter.notificationTypes"));
        post("{\"callbackUri\":\"%s\",\"filter\":{\"zoneId\":\"z\"}}".formatted(CALLBACK)).statusCode(400)
                .body("field", equalTo("filter.zoneId"));
        post("{\"callbackUri\":\"%s\",\"colour\":\"red\"}".formatted(CALLBACK)).statusCode(400)
                .body("field", equalTo("colour"));
        given().get("/mm4/v1/subscriptions").then().body("$", org.hamcrest.Matchers.hasSize(0));
    }

    @Test
    void unknownIds() {
        given().get("/mm4/v1/subscriptions/does-not-exist").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        given().delete("/mm4/v1/subscriptions/does-not-exist").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void openApiDocumentsTheSubscriptionPaths() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/mm4/v1/subscriptions"))
                .body("paths", org.hamcrest.Matchers.hasKey("/mm4/v1/subscriptions/{subscriptionId}"));
    }
}
