package org.edgevim.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Which notifications a subscription wants. No {@code notificationTypes} means every type, also
 * types the VIM adds later; that is why it is shown as an empty filter rather than expanded.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SubscriptionFilter(List<String> notificationTypes) {
}
