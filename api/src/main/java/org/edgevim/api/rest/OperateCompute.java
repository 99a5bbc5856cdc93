package org.edgevim.api.rest;

import jakarta.validation.constraints.NotNull;
import org.edgevim.core.model.ComputeOperation;

/**
 * Body of {@code POST /mm6/v1/compute/{id}/operate}.
 *
 * @param gracefulTimeoutSeconds for STOP and REBOOT: how long the guest gets to comply before it
 *                               is forced (default from configuration)
 */
public record OperateCompute(@NotNull ComputeOperation operation, Integer gracefulTimeoutSeconds) {
}
