package org.edgevim.migration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Preparing, then carrying out, the move of one VM ahead of its user's radio handover.
 *
 * @param handoffId             VIM-assigned UUID
 * @param computeId             the VM
 * @param ueId                  the user whose handover it follows, if the prediction named one
 * @param sourceHostId          where the VM runs
 * @param sourceCellId          the user's cell when predicted
 * @param state                 where the handoff is
 * @param shadows               one per candidate host (also the discarded ones, for the record)
 * @param targetCellId          the cell the handover executed to, once executed
 * @param targetHostId          the host serving it
 * @param migrationId           the migration that moved the VM, once executed
 * @param predictedHandoverTime when the radio network expects the handover, if it said
 * @param expiresAt             an open handoff expires (shadows discarded) at this time
 * @param statistics            the move's figures (bytes, downtime), once executed
 * @param error                 why it FAILED, or null
 * @param timeline              every step, in order, with timestamps
 */
public record Handoff(String handoffId, String computeId, String ueId, String sourceHostId, String sourceCellId,
        HandoffState state, List<Shadow> shadows, String targetCellId, String targetHostId, String migrationId,
        Instant predictedHandoverTime, Instant expiresAt, MigrationStatistics statistics, String error,
        List<HandoffEvent> timeline, Instant createdAt, Instant updatedAt) {

    public Handoff {
        Objects.requireNonNull(handoffId, "handoffId");
        Objects.requireNonNull(computeId, "computeId");
        Objects.requireNonNull(state, "state");
        shadows = List.copyOf(shadows);
        timeline = List.copyOf(timeline);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    Handoff with(HandoffState newState, List<Shadow> newShadows, String event, String detail, Instant at) {
        List<HandoffEvent> events = new ArrayList<>(timeline);
        if (event != null) {
            events.add(new HandoffEvent(event, at, detail));
        }
        return new Handoff(handoffId, computeId, ueId, sourceHostId, sourceCellId, newState, newShadows, targetCellId,
                targetHostId, migrationId, predictedHandoverTime, expiresAt, statistics, error, events, createdAt, at);
    }

    Handoff revised(String newSourceCell, Instant newPredictedTime, Instant newExpiry) {
        return new Handoff(handoffId, computeId, ueId, sourceHostId, newSourceCell, state, shadows, targetCellId,
                targetHostId, migrationId, newPredictedTime, newExpiry, statistics, error, timeline, createdAt, updatedAt);
    }

    Handoff executing(String cellId, String hostId, String migration) {
        return new Handoff(handoffId, computeId, ueId, sourceHostId, sourceCellId, state, shadows, cellId, hostId,
                migration, predictedHandoverTime, expiresAt, statistics, error, timeline, createdAt, updatedAt);
    }

    Handoff ended(MigrationStatistics figures, String cause) {
        return new Handoff(handoffId, computeId, ueId, sourceHostId, sourceCellId, state, shadows, targetCellId,
                targetHostId, migrationId, predictedHandoverTime, expiresAt, figures, cause, timeline, createdAt,
                updatedAt);
    }
}
