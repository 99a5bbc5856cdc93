package org.edgevim.api.notify;

import java.time.Instant;

/**
 * The JSON body POSTed to a subscriber: the IFA 005 notification header fields at the top level,
 * the object's new state under {@code payload} (so a field of the object can never clash with a
 * header field, and a subscriber reads every type of notification the same way).
 *
 * @param notificationId   the same for every subscriber and every retry of one notification: with
 *                         at-least-once delivery a subscriber uses it to drop duplicates
 * @param notificationType e.g. CapacityChangeNotification
 * @param subscriptionId   the subscription this delivery is for
 * @param timeStamp        when it happened (ISO-8601, UTC)
 * @param objectId         the host id or image id it is about
 * @param payload          the object's new state, as the REST API shows it
 */
public record NotificationMessage(String notificationId, String notificationType, String subscriptionId,
                                  Instant timeStamp, String objectId, Object payload) {
}
