package org.edgevim.api.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /mm4/v1/subscriptions} (IFA 005 Subscribe).
 *
 * @param callbackUri where notifications are POSTed: absolute http or https, with a host
 * @param filter      which notifications; absent for all
 */
public record CreateSubscription(@NotBlank @Size(max = 2048) String callbackUri, SubscriptionFilter filter) {
}
