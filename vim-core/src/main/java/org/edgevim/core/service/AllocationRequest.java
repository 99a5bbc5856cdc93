package org.edgevim.core.service;

import java.util.Map;
import org.edgevim.core.model.ComputeFlavour;

/**
 * An Mm6 allocate request after JSON parsing, before validation.
 *
 * @param hostId optional: place on exactly this host
 * @param zoneId optional: place on some host of this zone
 */
public record AllocationRequest(
        String computeName,
        ComputeFlavour flavour,
        String vcImageId,
        String hostId,
        String zoneId,
        Map<String, String> metadata) {
}
