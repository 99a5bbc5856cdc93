package org.edgevim.api.rest;

import java.time.Instant;
import java.util.List;

/** Body of {@code POST /mobility/v1/handover-predictions}: name the VM by computeId or by its user's ueId. */
public record PredictHandover(String ueId, String computeId, String sourceCellId, List<CandidateBody> candidates,
        Instant predictedHandoverTime, Long ttlSeconds) {

    /** @param likelihood 0..1; equal shares when left out */
    public record CandidateBody(String cellId, Double likelihood) {
    }
}
