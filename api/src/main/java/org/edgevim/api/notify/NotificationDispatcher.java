package org.edgevim.api.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.edgevim.api.config.VimConfig;
import org.edgevim.api.persistence.JdbcSubscriptionRepository;
import org.edgevim.core.event.NotificationPublisher;
import org.edgevim.core.event.VimNotification;
import org.jboss.logging.Logger;

/**
 * Delivers the core's notifications to subscribers, at least once: every subscription has a
 * {@link SubscriberChannel} with its own queue and worker, so a slow or dead subscriber delays
 * neither the others nor the publisher. Subscriptions are stored (they outlive a restart);
 * queues and delivery counters live in memory only.
 */
@Startup // subscriptions stored before a restart get their channels before anything is published
@ApplicationScoped
public class NotificationDispatcher implements NotificationPublisher {

    private static final Logger LOG = Logger.getLogger(NotificationDispatcher.class);
    /** How long shutdown waits for workers to leave a POST they were interrupted in. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final JdbcSubscriptionRepository subscriptions;
    private final ObjectMapper mapper;
    private final SubscriberChannel.Settings settings;
    private final HttpClient http;
    private final Map<String, SubscriberChannel> channels = new ConcurrentHashMap<>();

    /** @param mapper Quarkus's own, so payloads look exactly as the REST API shows them */
    public NotificationDispatcher(JdbcSubscriptionRepository subscriptions, ObjectMapper mapper, VimConfig config) {
        this.subscriptions = subscriptions;
        this.mapper = mapper;
        VimConfig.Notifications n = config.notifications();
        this.settings = new SubscriberChannel.Settings(n.queueSize(), n.requestTimeout(), n.initialBackoff(),
                n.maxBackoff(), n.maxAttempts());
        // HTTP/1.1: no h2c upgrade dance with subscribers' plain-http servers. Redirects are not
        // followed: a callback that moved is the subscriber's to fix, not ours to chase.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(n.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @PostConstruct
    void start() {
        subscriptions.list().forEach(this::open);
        LOG.infof("Notification delivery started for %d subscription(s)", channels.size());
    }

    @PreDestroy
    void stop() {
        int dropped = 0;
        for (SubscriberChannel channel : channels.values()) {
            dropped += channel.close();
        }
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        try {
            for (SubscriberChannel channel : channels.values()) {
                channel.awaitClosed(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channels.clear();
        if (dropped > 0) {
            LOG.infof("Notification delivery stopped; %d undelivered notification(s) dropped", dropped);
        }
    }

    /** Queues the notification for every subscriber that wants it; never waits, never throws. */
    @Override
    public void publish(VimNotification notification) {
        if (notification == null) {
            LOG.error("Null notification published; ignored");
            return;
        }
        String notificationId = null;
        for (SubscriberChannel channel : channels.values()) {
            try {
                Subscription subscription = channel.subscription();
                if (!subscription.wants(notification.notificationType())) {
                    continue;
                }
                if (notificationId == null) {
                    notificationId = UUID.randomUUID().toString();
                }
                channel.offer(new NotificationMessage(notificationId, notification.notificationType(),
                        subscription.id(), notification.timeStamp(), notification.objectId(), notification.payload()));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Queueing %s for subscription %s failed", notification.notificationType(),
                        channel.subscription().id());
            }
        }
    }

    /**
     * Stores a subscription and starts delivering to it.
     *
     * @param notificationTypes the types wanted (checked by the caller); empty for every type
     */
    public Subscription subscribe(URI callbackUri, List<String> notificationTypes) {
        Subscription subscription = new Subscription(UUID.randomUUID().toString(), callbackUri, notificationTypes,
                Instant.now().truncatedTo(ChronoUnit.MILLIS)); // what the database keeps, so reads agree
        subscriptions.insert(subscription);
        open(subscription);
        LOG.infof("Subscription %s created: %s to %s", subscription.id(),
                subscription.notificationTypes().isEmpty() ? "every notification" : subscription.notificationTypes(),
                callbackUri);
        return subscription;
    }

    /**
     * Deletes a subscription; notifications still pending for it are dropped.
     *
     * @return whether it existed
     */
    public boolean unsubscribe(String subscriptionId) {
        boolean existed = subscriptions.delete(subscriptionId);
        SubscriberChannel channel = channels.remove(subscriptionId);
        if (channel != null) {
            int dropped = channel.close();
            LOG.infof("Subscription %s deleted (%d pending notification(s) dropped)", subscriptionId, dropped);
        }
        return existed;
    }

    /** Delivery counters of a subscription (all zero if it has none, e.g. it was just deleted). */
    public DeliveryStatus delivery(String subscriptionId) {
        SubscriberChannel channel = channels.get(subscriptionId);
        return channel == null ? DeliveryStatus.NONE : channel.status();
    }

    private void open(Subscription subscription) {
        channels.put(subscription.id(), new SubscriberChannel(subscription, settings, http, mapper));
    }
}
