package org.edgevim.migration;

import java.time.Instant;
import java.util.List;

/**
 * A handover prediction from the radio network, after JSON parsing, before validation. Names the
 * VM directly (computeId) or by its user (ueId).
 *
 * @param ttlSeconds optional: the shadows are discarded if no handover executes within it
 */
public record HandoverPrediction(String ueId, String computeId, String sourceCellId, List<Candidate> candidates,
        Instant predictedHandoverTime, Long ttlSeconds) {

    /** @param likelihood 0..1, optional (equal shares when absent) */
    public record Candidate(String cellId, Double likelihood) {
    }
}
