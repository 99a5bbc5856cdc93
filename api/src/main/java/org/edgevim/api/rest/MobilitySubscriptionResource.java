package org.edgevim.api.rest;

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
import java.util.List;
import org.edgevim.api.notify.NotificationDispatcher;
import org.edgevim.api.notify.Subscription;
import org.edgevim.api.persistence.JdbcSubscriptionRepository;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.event.VimNotification;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * MEC 021-style subscriptions of the platform manager to MobilityProcedureNotifications
 * (INTERHOST_MOVEOUT_TRIGGERED, _COMPLETED, _FAILED): the same delivery (at least once, retried,
 * isolated per subscriber) as Mm4's, filtered to that one type.
 */
@Path("/mobility/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Mobility")
public class MobilitySubscriptionResource {

    private static final List<String> TYPES = List.of(VimNotification.MOBILITY_PROCEDURE);

    private final JdbcSubscriptionRepository subscriptions;
    private final NotificationDispatcher dispatcher;

    public MobilitySubscriptionResource(JdbcSubscriptionRepository subscriptions, NotificationDispatcher dispatcher) {
        this.subscriptions = subscriptions;
        this.dispatcher = dispatcher;
    }

    /** Body: the callback only (the type is implied). */
    public record CreateMobilitySubscription(String callbackUri) {
    }

    @POST
    @Operation(summary = "Subscribe a callback URI to MobilityProcedureNotifications")
    public Response subscribe(@NotNull CreateMobilitySubscription body) {
        Subscription subscription = dispatcher.subscribe(SubscriptionResource.callbackUri(
                body.callbackUri() == null ? "" : body.callbackUri()), TYPES);
        return Response.created(URI.create("/mobility/v1/subscriptions/" + subscription.id()))
                .entity(SubscriptionView.of(subscription, dispatcher.delivery(subscription.id()))).build();
    }

    @GET
    @Operation(summary = "Mobility subscriptions with their delivery counters")
    public List<SubscriptionView> list() {
        return subscriptions.list().stream().filter(s -> s.notificationTypes().equals(TYPES))
                .map(s -> SubscriptionView.of(s, dispatcher.delivery(s.id()))).toList();
    }

    @GET
    @Path("/{subscriptionId}")
    public SubscriptionView get(@PathParam("subscriptionId") String subscriptionId) {
        return subscriptions.find(subscriptionId).filter(s -> s.notificationTypes().equals(TYPES))
                .map(s -> SubscriptionView.of(s, dispatcher.delivery(s.id())))
                .orElseThrow(() -> new NotFoundException("mobility subscription", subscriptionId));
    }

    @DELETE
    @Path("/{subscriptionId}")
    public Response unsubscribe(@PathParam("subscriptionId") String subscriptionId) {
        get(subscriptionId);
        dispatcher.unsubscribe(subscriptionId);
        return Response.noContent().build();
    }
}
