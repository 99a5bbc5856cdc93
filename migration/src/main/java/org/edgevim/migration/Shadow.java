package org.edgevim.migration;

import java.time.Instant;
import java.util.List;

/**
 * What a handoff prepares on one candidate host.
 *
 * @param hostId       the candidate host
 * @param cellIds      the predicted cells it serves
 * @param likelihood   the highest likelihood among those cells
 * @param kind         what is prepared
 * @param state        where it is
 * @param error        why it FAILED, or null
 * @param updatedAt    last change
 * @param migrationId  for a {@link ShadowKind#MEMORY} shadow, the held migration that keeps it; else null
 * @param syncLagBytes for a memory shadow, how much of the VM's memory the candidate still lacks
 *                     (the held copy's remainder) as last read; null for an image shadow
 */
public record Shadow(String hostId, List<String> cellIds, double likelihood, ShadowKind kind, ShadowState state,
        String error, Instant updatedAt, String migrationId, Long syncLagBytes) {

    public Shadow {
        cellIds = List.copyOf(cellIds);
    }

    static Shadow preparing(String hostId, List<String> cellIds, double likelihood, ShadowKind kind, Instant at) {
        return new Shadow(hostId, cellIds, likelihood, kind, ShadowState.PREPARING, null, at, null, null);
    }

    Shadow inState(ShadowState next, String cause, Instant at) {
        return new Shadow(hostId, cellIds, likelihood, kind, next, cause, at, migrationId, syncLagBytes);
    }

    Shadow forCandidate(List<String> cells, double newLikelihood) {
        return new Shadow(hostId, cells, newLikelihood, kind, state, error, updatedAt, migrationId, syncLagBytes);
    }

    Shadow heldBy(String migration, Instant at) {
        return new Shadow(hostId, cellIds, likelihood, kind, state, error, at, migration, syncLagBytes);
    }

    Shadow withLag(Long lagBytes) {
        return new Shadow(hostId, cellIds, likelihood, kind, state, error, updatedAt, migrationId, lagBytes);
    }

    /** Made a memory shadow (a kept image shadow that became the most likely candidate). */
    Shadow asMemory(Instant at) {
        return new Shadow(hostId, cellIds, likelihood, ShadowKind.MEMORY, ShadowState.PREPARING, null, at, null, null);
    }

    boolean isLive() {
        return state == ShadowState.PREPARING || state == ShadowState.READY;
    }

    boolean isMemory() {
        return kind == ShadowKind.MEMORY;
    }
}
