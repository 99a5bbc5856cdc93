package org.edgevim.core.event;

/**
 * Where the core hands notifications. Implementations must return at once: delivery to
 * subscribers happens elsewhere, and a slow or dead subscriber never delays the caller.
 */
@FunctionalInterface
public interface NotificationPublisher {

    NotificationPublisher NONE = notification -> { };

    void publish(VimNotification notification);
}
