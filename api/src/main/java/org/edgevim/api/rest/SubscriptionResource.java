package org.edgevim.api.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.edgevim.api.notify.NotificationDispatcher;
import org.edgevim.api.notify.Subscription;
import org.edgevim.api.persistence.JdbcSubscriptionRepository;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Mm4: subscriptions to the VIM's notifications (IFA 005 Subscribe, Query and Terminate Subscription). */
@Path("/mm4/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Mm4 subscriptions")
public class SubscriptionResource {

    private final JdbcSubscriptionRepository subscriptions;
    private final NotificationDispatcher dispatcher;

    public SubscriptionResource(JdbcSubscriptionRepository subscriptions, NotificationDispatcher dispatcher) {
        this.subscriptions = subscriptions;
        this.dispatcher = dispatcher;
    }

    @POST
    @Operation(summary = "Subscribe a callback URI to notifications (filter.notificationTypes, or all); "
            + "each is POSTed as JSON, at least once")
    public Response subscribe(@Valid @NotNull CreateSubscription body) {
        URI callbackUri = callbackUri(body.callbackUri());
        List<String> types = notificationTypes(body.filter());
        Subscription subscription = dispatcher.subscribe(callbackUri, types);
        return Response.created(URI.create("/mm4/v1/subscriptions/" + subscription.id()))
                .entity(SubscriptionView.of(subscription, dispatcher.delivery(subscription.id()))).build();
    }

    @GET
    @Operation(summary = "List subscriptions with their delivery counters")
    public List<SubscriptionView> list() {
        return subscriptions.list().stream().map(s -> SubscriptionView.of(s, dispatcher.delivery(s.id()))).toList();
    }

    @GET
    @Path("/{subscriptionId}")
    @Operation(summary = "One subscription with its delivery counters")
    public SubscriptionView get(@PathParam("subscriptionId") String subscriptionId) {
        Subscription subscription = subscriptions.find(subscriptionId)
                .orElseThrow(() -> new NotFoundException("subscription", subscriptionId));
        return SubscriptionView.of(subscription, dispatcher.delivery(subscriptionId));
    }

    @DELETE
    @Path("/{subscriptionId}")
    @Operation(summary = "Terminate a subscription; notifications not yet delivered to it are dropped")
    public Response unsubscribe(@PathParam("subscriptionId") String subscriptionId) {
        if (!dispatcher.unsubscribe(subscriptionId)) {
            throw new NotFoundException("subscription", subscriptionId);
        }
        return Response.noContent().build();
    }

    /** The VIM will POST to it: only http(s) to a named host, nothing it cannot send to. */
    static URI callbackUri(String value) {
        String problem = "must be an absolute http or https URI with a host, e.g. http://orchestrator:8080/notifications";
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException("callbackUri", problem);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new InvalidInputException("callbackUri", problem);
        }
        return uri;
    }

    /** Known types only, duplicates dropped, order kept; an empty result means all types. */
    private static List<String> notificationTypes(SubscriptionFilter filter) {
        if (filter == null || filter.notificationTypes() == null) {
            return List.of();
        }
        String field = "filter.notificationTypes";
        if (filter.notificationTypes().isEmpty()) {
            throw new InvalidInputException(field, "must name at least one type; leave it out for all types");
        }
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (String type : filter.notificationTypes()) {
            if (type == null || !Subscription.NOTIFICATION_TYPES.contains(type)) {
                throw new InvalidInputException(field, "unknown type '" + type + "', must be one of "
                        + Subscription.NOTIFICATION_TYPES);
            }
            types.add(type);
        }
        return List.copyOf(types);
    }
}
