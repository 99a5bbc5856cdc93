package org.edgevim.migration;

import java.time.Instant;

/**
 * One step of a handoff's timeline: predicted, revised, shadow-ready, prepared, executed,
 * live-on-target, source-released, cancelled, expired, failed.
 */
public record HandoffEvent(String event, Instant at, String detail) {
}
