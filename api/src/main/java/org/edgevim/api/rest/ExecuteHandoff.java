package org.edgevim.api.rest;

/** Body of {@code POST /mobility/v1/handoffs/{handoffId}/execute}. */
public record ExecuteHandoff(String targetCellId) {
}
