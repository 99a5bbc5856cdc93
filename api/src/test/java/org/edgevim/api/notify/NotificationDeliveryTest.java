package org.edgevim.api.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.edgevim.api.config.VimConfig;
import org.edgevim.api.persistence.JdbcSubscriptionRepository;
import org.edgevim.core.capacity.HostCapacity;
import org.edgevim.core.capacity.ResourceCapacity;
import org.edgevim.core.event.NotificationPublisher;
import org.edgevim.core.event.VimNotification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery to real HTTP subscribers (JDK HttpServer on 127.0.0.1): the JSON they get, filters,
 * retries, give-up, ordering, and that a dead or hanging subscriber holds up no one else.
 * Retries are fast here: test application.properties sets the back-off to 100 ms .. 1 s.
 */
@QuarkusTest
class NotificationDeliveryTest {

    private static final Duration SOON = Duration.ofSeconds(2);
    private static final Instant WHEN = Instant.parse("2026-01-02T03:04:05Z");

    @Inject
    NotificationPublisher publisher;

    @Inject
    JdbcSubscriptionRepository repository;

    @Inject
    ObjectMapper mapper;

    @Inject
    VimConfig config;

    private final List<Receiver> receivers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (Subscription s : repository.list()) {
            given().delete("/mm4/v1/subscriptions/" + s.id()).then().statusCode(204);
        }
        receivers.forEach(Receiver::close);
    }

    private Receiver receiver(Receiver receiver) {
        receivers.add(receiver);
        return receiver;
    }

    private static String subscribe(String callbackUri, String... types) {
        String filter = types.length == 0 ? "" : ",\"filter\":{\"notificationTypes\":[\"" + String.join("\",\"", types)
                + "\"]}";
        return given().contentType(ContentType.JSON).body("{\"callbackUri\":\"" + callbackUri + "\"" + filter + "}")
                .post("/mm4/v1/subscriptions").then().statusCode(201).extract().path("id");
    }

    private static JsonPath delivery(String subscriptionId) {
        return given().get("/mm4/v1/subscriptions/" + subscriptionId).then().statusCode(200).extract().jsonPath()
                .setRootPath("delivery");
    }

    private static VimNotification capacity(String hostId) {
        ResourceCapacity vcpu = new ResourceCapacity(8, 0, 2, 30);
        ResourceCapacity memory = new ResourceCapacity(16384, 512, 1024, 14848);
        ResourceCapacity disk = new ResourceCapacity(100, 0, 10, 90);
        return new VimNotification(VimNotification.CAPACITY_CHANGE, WHEN, hostId,
                new HostCapacity(hostId, vcpu, memory, disk));
    }

    private static VimNotification image(String imageId) {
        return new VimNotification(VimNotification.IMAGE_STATUS_CHANGE, WHEN, imageId,
                Map.of("id", imageId, "status", "AVAILABLE"));
    }

    @Test
    void subscriberReceivesTheNotificationAsJson() {
        Receiver receiver = receiver(Receiver.healthy());
        String id = subscribe(receiver.url(), VimNotification.CAPACITY_CHANGE);

        publisher.publish(capacity("edge-1"));

        Poll.until(SOON, () -> assertThat(receiver.delivered).hasSize(1));
        JsonNode body = receiver.delivered.get(0);
        assertThat(body.path("notificationId").asText()).isNotBlank();
        assertThat(body.path("notificationType").asText()).isEqualTo("CapacityChangeNotification");
        assertThat(body.path("subscriptionId").asText()).isEqualTo(id);
        assertThat(body.path("timeStamp").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(body.path("objectId").asText()).isEqualTo("edge-1");
        assertThat(body.path("payload").path("hostId").asText()).isEqualTo("edge-1");
        assertThat(body.path("payload").path("vcpu").path("total").asLong()).isEqualTo(8);
        assertThat(body.path("payload").path("memoryMiB").path("available").asLong()).isEqualTo(14848);
        assertThat(receiver.contentTypes).containsExactly("application/json");
        Poll.until(SOON, () -> {
            JsonPath delivery = delivery(id);
            assertThat(delivery.getInt("delivered")).isEqualTo(1);
            assertThat(delivery.getInt("failed")).isZero();
            assertThat(delivery.getInt("pending")).isZero();
            assertThat(delivery.getString("lastError")).isNull();
            assertThat(delivery.getString("lastAttemptAt")).isNotNull();
        });
    }

    @Test
    void filterIsRespected() {
        Receiver imagesOnly = receiver(Receiver.healthy());
        Receiver everything = receiver(Receiver.healthy());
        subscribe(imagesOnly.url(), VimNotification.IMAGE_STATUS_CHANGE);
        subscribe(everything.url());

        publisher.publish(capacity("edge-1"));
        publisher.publish(image("img-1"));

        Poll.until(SOON, () -> assertThat(everything.objectIds()).containsExactly("edge-1", "img-1"));
        // Delivery to one subscriber is in order: had edge-1 been queued for it, it would have come first.
        Poll.until(SOON, () -> assertThat(imagesOnly.objectIds()).containsExactly("img-1"));
        assertThat(imagesOnly.delivered.get(0).path("notificationType").asText())
                .isEqualTo("SoftwareImageStatusChangeNotification");
        assertThat(imagesOnly.delivered.get(0).path("payload").path("status").asText()).isEqualTo("AVAILABLE");
    }

    @Test
    void retriedUntilTheSubscriberAccepts() {
        Receiver flaky = receiver(Receiver.answering(n -> n <= 2 ? 503 : 200));
        String id = subscribe(flaky.url());

        publisher.publish(capacity("edge-1"));
        publisher.publish(capacity("edge-2"));

        Poll.until(Duration.ofSeconds(5), () -> assertThat(flaky.objectIds()).containsExactly("edge-1", "edge-2"));
        assertThat(flaky.requests.get()).isEqualTo(4); // 503, 503, 200 for edge-1; 200 for edge-2
        // Every attempt carries the same notificationId, so a subscriber can drop duplicates.
        List<String> ids = flaky.received.stream().map(n -> n.path("notificationId").asText()).toList();
        assertThat(ids.subList(0, 3)).containsOnly(ids.get(0));
        assertThat(ids.get(3)).isNotEqualTo(ids.get(0));
        Poll.until(SOON, () -> {
            JsonPath delivery = delivery(id);
            assertThat(delivery.getInt("delivered")).isEqualTo(2);
            assertThat(delivery.getInt("failed")).isZero();
            assertThat(delivery.getInt("pending")).isZero();
            assertThat(delivery.getString("lastError")).isEqualTo("HTTP 503");
        });
    }

    @Test
    void messagesToOneSubscriberArriveInOrder() {
        Receiver receiver = receiver(Receiver.healthy());
        subscribe(receiver.url());
        List<String> hosts = IntStream.rangeClosed(1, 30).mapToObj(i -> "edge-" + i).toList();

        hosts.forEach(host -> publisher.publish(capacity(host)));

        Poll.until(Duration.ofSeconds(5), () -> assertThat(receiver.objectIds()).isEqualTo(hosts));
    }

    @Test
    void deadAndHangingSubscribersDelayNeitherOthersNorThePublisher() throws InterruptedException {
        Receiver hanging = receiver(Receiver.hanging(Duration.ofSeconds(30)));
        Receiver healthy = receiver(Receiver.healthy());
        String dead = subscribe(Receiver.deadUrl());
        String hung = subscribe(hanging.url());
        subscribe(healthy.url());

        publisher.publish(capacity("edge-1"));
        Poll.until(SOON, () -> assertThat(healthy.objectIds()).containsExactly("edge-1"));
        assertThat(hanging.firstRequest.await(2, TimeUnit.SECONDS)).isTrue();

        // The hanging subscriber is now holding a POST open: publishing again must not wait for it.
        publisher.publish(capacity("edge-2"));
        assertThat(hanging.answered.get()).as("publish returned while the hanging POST is still open").isZero();
        Poll.until(SOON, () -> assertThat(healthy.objectIds()).containsExactly("edge-1", "edge-2"));

        assertThat(hanging.answered.get()).isZero();
        assertThat(delivery(hung).getInt("pending")).isEqualTo(2);
        Poll.until(SOON, () -> assertThat(delivery(dead).getString("lastError")).startsWith("cannot connect"));
        assertThat(delivery(dead).getInt("delivered")).isZero();
    }

    @Test
    void deadSubscriberIsGivenUpOnAfterMaxAttempts() {
        String dead = subscribe(Receiver.deadUrl());

        publisher.publish(capacity("edge-1"));

        // 8 attempts, back-off 0.1 + 0.2 + 0.4 + 0.8 + 1 + 1 + 1 s in the test configuration.
        Poll.until(Duration.ofSeconds(10), () -> {
            JsonPath delivery = delivery(dead);
            assertThat(delivery.getInt("failed")).isEqualTo(1);
            assertThat(delivery.getInt("pending")).isZero();
            assertThat(delivery.getString("lastError")).startsWith("cannot connect");
        });
        assertThat(config.notifications().maxAttempts()).isEqualTo(8);
    }

    @Test
    void clientErrorIsGivenUpAtOnce() {
        Receiver refusing = receiver(Receiver.answering(n -> 404));
        String id = subscribe(refusing.url());

        publisher.publish(capacity("edge-1"));

        Poll.until(SOON, () -> {
            JsonPath delivery = delivery(id);
            assertThat(delivery.getInt("failed")).isEqualTo(1);
            assertThat(delivery.getInt("delivered")).isZero();
            assertThat(delivery.getInt("pending")).isZero();
            assertThat(delivery.getString("lastError")).isEqualTo("HTTP 404");
        });
        assertThat(refusing.requests.get()).isEqualTo(1);
    }

    @Test
    void fullQueueDropsTheOldest() {
        Receiver hanging = receiver(Receiver.hanging(Duration.ofSeconds(30)));
        String id = subscribe(hanging.url());
        int queueSize = config.notifications().queueSize();

        publisher.publish(capacity("in-flight"));
        Poll.until(SOON, () -> assertThat(hanging.requests.get()).isEqualTo(1));
        for (int i = 0; i < queueSize + 3; i++) {
            publisher.publish(capacity("edge-" + i));
        }

        JsonPath delivery = delivery(id);
        assertThat(delivery.getInt("pending")).isEqualTo(queueSize + 1);
        assertThat(delivery.getInt("failed")).isEqualTo(3);
        assertThat(delivery.getString("lastError")).startsWith("queue full").contains("edge-2");
    }

    @Test
    void deletedSubscriptionReceivesNothingFurther() throws InterruptedException {
        Receiver deleted = receiver(Receiver.healthy());
        Receiver control = receiver(Receiver.healthy());
        String id = subscribe(deleted.url());
        subscribe(control.url());
        publisher.publish(capacity("edge-1"));
        Poll.until(SOON, () -> assertThat(deleted.objectIds()).containsExactly("edge-1"));

        given().delete("/mm4/v1/subscriptions/" + id).then().statusCode(204);
        publisher.publish(capacity("edge-2"));

        Poll.until(SOON, () -> assertThat(control.objectIds()).containsExactly("edge-1", "edge-2"));
        Thread.sleep(300); // a little longer than the control took, in case the deleted one lagged
        assertThat(deleted.requests.get()).isEqualTo(1);
    }

    @Test
    void storedSubscriptionsAreServedAfterARestart() {
        Receiver receiver = receiver(Receiver.healthy());
        String id = subscribe(receiver.url(), VimNotification.CAPACITY_CHANGE);

        // A dispatcher started afresh knows only what is stored, as after a service restart.
        NotificationDispatcher restarted = new NotificationDispatcher(repository, mapper, config);
        restarted.start();
        try {
            restarted.publish(capacity("edge-1"));
            Poll.until(SOON, () -> assertThat(receiver.objectIds()).containsExactly("edge-1"));
            assertThat(receiver.delivered.get(0).path("subscriptionId").asText()).isEqualTo(id);
            // Counted once the answer is back, a moment after the receiver recorded the body.
            Poll.until(SOON, () -> assertThat(restarted.delivery(id).delivered()).isEqualTo(1));
        } finally {
            restarted.stop();
        }
    }
}
