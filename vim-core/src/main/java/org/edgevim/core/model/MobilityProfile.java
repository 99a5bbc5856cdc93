package org.edgevim.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.edgevim.core.error.InvalidInputException;

/**
 * How a VM follows its users between edge hosts.
 *
 * @param ueIds         the users (UE addresses or other ids, as the radio network names them in
 *                      MEC 012 associateId values) whose handovers move this VM
 * @param relocatable   false pins the VM to its host: handover predictions for it are refused
 * @param maxDowntimeMs longest pause the VM may see when it moves
 */
public record MobilityProfile(List<String> ueIds, boolean relocatable, long maxDowntimeMs) {

    public static final int MAX_UE_IDS = 16;
    public static final long DEFAULT_MAX_DOWNTIME_MS = 300;
    public static final long MAX_DOWNTIME_LIMIT_MS = 60_000;
    public static final MobilityProfile DEFAULT = new MobilityProfile(List.of(), true, DEFAULT_MAX_DOWNTIME_MS);
    private static final Pattern UE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}");

    public MobilityProfile {
        ueIds = List.copyOf(ueIds);
    }

    /** Validates a profile from a request; absent parts take the defaults. */
    public static MobilityProfile of(List<String> ueIds, Boolean relocatable, Long maxDowntimeMs) {
        List<String> ids = new ArrayList<>();
        if (ueIds != null) {
            if (ueIds.size() > MAX_UE_IDS) {
                throw new InvalidInputException("mobility.ueIds", "at most " + MAX_UE_IDS + " per VM");
            }
            for (int i = 0; i < ueIds.size(); i++) {
                String id = ueIds.get(i);
                if (id == null || !UE_ID.matcher(id).matches()) {
                    throw new InvalidInputException("mobility.ueIds[" + i + "]",
                            "must be 1-128 letters, digits, '.', '_', ':', '@', '+' or '-'");
                }
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        long downtime = maxDowntimeMs == null ? DEFAULT_MAX_DOWNTIME_MS : maxDowntimeMs;
        if (downtime < 1 || downtime > MAX_DOWNTIME_LIMIT_MS) {
            throw new InvalidInputException("mobility.maxDowntimeMs", "must be between 1 and " + MAX_DOWNTIME_LIMIT_MS);
        }
        return new MobilityProfile(ids, relocatable == null || relocatable, downtime);
    }
}
