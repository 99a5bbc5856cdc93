package org.edgevim.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * Something a subscriber of the VIM may want to hear about (IFA 005 clause 7.3.2 / 7.3.4
 * notifications): what kind, when, about which object, and the object's state as a value the
 * API serialises (a record of the core's model).
 *
 * @param notificationType e.g. {@link #IMAGE_STATUS_CHANGE} or {@link #CAPACITY_CHANGE}
 * @param timeStamp        when it happened
 * @param objectId         the image id or host id it is about
 * @param payload          the object's new state (immutable value)
 */
public record VimNotification(String notificationType, Instant timeStamp, String objectId, Object payload) {

    /** An image's status or its per-host locations changed. Payload: the SoftwareImage. */
    public static final String IMAGE_STATUS_CHANGE = "SoftwareImageStatusChangeNotification";
    /** ETSI MEC 021: a VM moving with its user started, completed or failed. Payload: the procedure. */
    public static final String MOBILITY_PROCEDURE = "MobilityProcedureNotification";
    /** A host's total, reserved or allocated resources changed. Payload: the HostCapacity. */
    public static final String CAPACITY_CHANGE = "CapacityChangeNotification";

    public VimNotification {
        Objects.requireNonNull(notificationType, "notificationType");
        Objects.requireNonNull(timeStamp, "timeStamp");
        Objects.requireNonNull(objectId, "objectId");
        Objects.requireNonNull(payload, "payload");
    }
}
