package org.edgevim.api.notify;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.edgevim.core.event.VimNotification;

/**
 * A subscriber's wish to hear about some kinds of notification (IFA 005 Subscribe).
 *
 * @param id                the subscription's id (a UUID)
 * @param callbackUri       where notifications are POSTed (absolute http or https)
 * @param notificationTypes the types it wants; empty means every type, including types added later
 * @param createdAt         when it was created
 */
public record Subscription(String id, URI callbackUri, List<String> notificationTypes, Instant createdAt) {

    /** Every notification type the VIM sends; a filter may only name these. */
    public static final List<String> NOTIFICATION_TYPES =
            List.of(VimNotification.CAPACITY_CHANGE, VimNotification.IMAGE_STATUS_CHANGE,
                    VimNotification.MOBILITY_PROCEDURE);

    public Subscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(callbackUri, "callbackUri");
        Objects.requireNonNull(createdAt, "createdAt");
        notificationTypes = notificationTypes == null ? List.of() : List.copyOf(notificationTypes);
    }

    public boolean wants(String notificationType) {
        return notificationTypes.isEmpty() || notificationTypes.contains(notificationType);
    }
}
