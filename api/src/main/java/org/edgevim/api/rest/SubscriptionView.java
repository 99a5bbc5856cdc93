package org.edgevim.api.rest;

import java.time.Instant;
import org.edgevim.api.notify.DeliveryStatus;
import org.edgevim.api.notify.Subscription;

/** A subscription as the API shows it, with how delivery to it is going. */
public record SubscriptionView(String id, String callbackUri, SubscriptionFilter filter, Instant createdAt,
                               DeliveryStatus delivery) {

    static SubscriptionView of(Subscription subscription, DeliveryStatus delivery) {
        return new SubscriptionView(subscription.id(), subscription.callbackUri().toString(),
                new SubscriptionFilter(subscription.notificationTypes()), subscription.createdAt(), delivery);
    }
}
