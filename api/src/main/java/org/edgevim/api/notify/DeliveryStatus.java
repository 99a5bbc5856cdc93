package org.edgevim.api.notify;

import java.time.Instant;

/**
 * How delivery to one subscriber is going, since the VIM started (kept in memory only).
 *
 * @param pending       notifications waiting or being sent
 * @param delivered     notifications the subscriber acknowledged with a 2xx
 * @param failed        notifications given up on: refused with a 4xx, out of attempts, or dropped from a full queue
 * @param lastError     what went wrong last (kept after a later success, for the operator), or null
 * @param lastAttemptAt when a POST to the subscriber was last tried, or null
 */
public record DeliveryStatus(int pending, long delivered, long failed, String lastError, Instant lastAttemptAt) {

    static final DeliveryStatus NONE = new DeliveryStatus(0, 0, 0, null, null);
}
