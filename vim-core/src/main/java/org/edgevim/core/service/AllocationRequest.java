package org.edgevim.core.service;

import java.util.Map;
import org.edgevim.core.model.ComputeFlavour;
import org.edgevim.core.model.MobilityProfile;

/**
 * An Mm6 allocate request after JSON parsing, before validation.
 *
 * @param hostId optional: place on exactly this host
 * @param zoneId   optional: place on some host of this zone
 * @param mobility optional (validated already): users and relocation policy
 */
public record AllocationRequest(
        String computeName,
        ComputeFlavour flavour,
        String vcImageId,
        String hostId,
        String zoneId,
        Map<String, String> metadata,
        MobilityProfile mobility) {

    /** A request without a mobility profile: the default one (relocatable, no users yet). */
    public AllocationRequest(String computeName, ComputeFlavour flavour, String vcImageId, String hostId, String zoneId,
            Map<String, String> metadata) {
        this(computeName, flavour, vcImageId, hostId, zoneId, metadata, MobilityProfile.DEFAULT);
    }
}
