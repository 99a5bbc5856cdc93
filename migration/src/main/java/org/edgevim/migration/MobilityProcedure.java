package org.edgevim.migration;

import java.util.List;
import java.util.regex.Pattern;

/**
 * ETSI MEC 021 MobilityProcedureNotification content: an application instance (the VM) is moving
 * between hosts with its user, has moved, or could not.
 *
 * @param mobilityStatus INTERHOST_MOVEOUT_TRIGGERED, INTERHOST_MOVEOUT_COMPLETED or INTERHOST_MOVEOUT_FAILED
 * @param associateId    the users the VM follows
 * @param appInstanceId  the VM's computeId
 * @param handoffId      the handoff that moves it
 * @param sourceHostId   where it ran
 * @param targetHostId   where it goes
 * @param targetCellId   the cell the user went to
 * @param reason         why it failed, or null
 */
public record MobilityProcedure(String mobilityStatus, List<AssociateId> associateId, String appInstanceId,
        String handoffId, String sourceHostId, String targetHostId, String targetCellId, String reason) {

    public static final String TRIGGERED = "INTERHOST_MOVEOUT_TRIGGERED";
    public static final String COMPLETED = "INTERHOST_MOVEOUT_COMPLETED";
    public static final String FAILED = "INTERHOST_MOVEOUT_FAILED";

    /** MEC 021 AssociateId: the UE by address where the id is one, else by the id the VM was given. */
    public record AssociateId(String type, String value) {
        private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

        static AssociateId of(String ueId) {
            String type = IPV4.matcher(ueId).matches() ? "UE_IPv4_ADDRESS"
                    : ueId.contains(":") && ueId.matches("[0-9A-Fa-f:.]+") ? "UE_IPV6_ADDRESS" : "UE_ID";
            return new AssociateId(type, ueId);
        }
    }
}
