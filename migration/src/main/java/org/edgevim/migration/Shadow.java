package org.edgevim.migration;

import java.time.Instant;
import java.util.List;

/**
 * What a handoff prepares on one candidate host.
 *
 * @param hostId     the candidate host
 * @param cellIds    the predicted cells it serves
 * @param likelihood the highest likelihood among those cells
 * @param kind       what is prepared
 * @param state      where it is
 * @param error      why it FAILED, or null
 * @param updatedAt  last change
 */
public record Shadow(String hostId, List<String> cellIds, double likelihood, ShadowKind kind, ShadowState state,
        String error, Instant updatedAt) {

    public Shadow {
        cellIds = List.copyOf(cellIds);
    }

    Shadow inState(ShadowState next, String cause, Instant at) {
        return new Shadow(hostId, cellIds, likelihood, kind, next, cause, at);
    }

    Shadow forCandidate(List<String> cells, double newLikelihood) {
        return new Shadow(hostId, cells, newLikelihood, kind, state, error, updatedAt);
    }

    boolean isLive() {
        return state == ShadowState.PREPARING || state == ShadowState.READY;
    }
}
