package org.edgevim.api.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.NotFoundException;
import org.edgevim.core.model.VirtualCompute;
import org.edgevim.migration.Handoff;
import org.edgevim.migration.HandoffService;
import org.edgevim.migration.HandoverPrediction;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Mobility: handover predictions and executions from the radio network move VMs with their users. */
@Path("/mobility/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Mobility")
public class MobilityResource {

    private final HandoffService handoffs;

    public MobilityResource(HandoffService handoffs) {
        this.handoffs = handoffs;
    }

    @POST
    @Path("/handover-predictions")
    @Operation(summary = "A predicted handover: prepare shadows on the candidates' hosts (201 new handoff, 200 revised)")
    public Response predict(@NotNull PredictHandover body) {
        List<HandoverPrediction.Candidate> candidates = body.candidates() == null ? null : body.candidates().stream()
                .map(c -> c == null ? null : new HandoverPrediction.Candidate(c.cellId(), c.likelihood())).toList();
        Handoff handoff = handoffs.predict(new HandoverPrediction(body.ueId(), body.computeId(), body.sourceCellId(),
                candidates, body.predictedHandoverTime(), body.ttlSeconds()));
        boolean revised = handoff.timeline().stream().anyMatch(e -> e.event().equals("revised"));
        return (revised ? Response.ok(handoff)
                : Response.created(URI.create("/mobility/v1/handoffs/" + handoff.handoffId())).entity(handoff)).build();
    }

    @GET
    @Path("/handoffs")
    @Operation(summary = "Handoffs, newest first, optionally of one VM")
    public List<Handoff> list(@QueryParam("computeId") String computeId) {
        return handoffs.list(computeId);
    }

    @GET
    @Path("/handoffs/{handoffId}")
    @Operation(summary = "One handoff: state, shadows, and the timeline with timestamps, bytes moved and downtime")
    public Handoff get(@PathParam("handoffId") String handoffId) {
        return handoffs.get(handoffId);
    }

    @POST
    @Path("/handoffs/{handoffId}/execute")
    @Operation(summary = "The handover executed to targetCellId: the VM moves to the host serving it (202)")
    public Response execute(@PathParam("handoffId") String handoffId, @NotNull ExecuteHandoff body) {
        return Response.accepted(handoffs.execute(handoffId, body.targetCellId())).build();
    }

    @DELETE
    @Path("/handoffs/{handoffId}")
    @Operation(summary = "Cancel: shadows discarded; a move under way is aborted and the VM stays on its source (202)")
    public Response cancel(@PathParam("handoffId") String handoffId) {
        return Response.accepted(handoffs.cancel(handoffId, "cancelled by request")).build();
    }

    @POST
    @Path("/rni/notifications")
    @Operation(summary = "ETSI MEC 012 CellChangeNotification: drives the handoff of the VM following the UE")
    public Response cellChange(@NotNull CellChangeNotification body) {
        String status = status(body.hoStatus());
        VirtualCompute vm = vmOf(body);
        List<String> targets = body.trgEcgi() == null ? List.of() : body.trgEcgi().stream()
                .filter(e -> e != null && e.cellId() != null).map(CellChangeNotification.Ecgi::cellId).toList();
        String source = body.srcEcgi() == null ? null : body.srcEcgi().cellId();
        Optional<Handoff> current = handoffs.unfinishedFor(vm.computeId());
        Handoff result = switch (status) {
            case "IN_PREPARATION" -> handoffs.predict(prediction(vm, source, targets));
            case "IN_EXECUTION", "COMPLETED" -> {
                if (targets.isEmpty()) {
                    throw new InvalidInputException("trgEcgi", "name the target cell");
                }
                if (current.isPresent() && !current.get().state().isOpen()) {
                    yield current.get(); // already moving (an IN_EXECUTION came first)
                }
                Handoff open = current.orElseGet(() -> handoffs.predict(prediction(vm, source, targets)));
                yield handoffs.execute(open.handoffId(), targets.get(0));
            }
            default -> current.map(h -> handoffs.cancel(h.handoffId(), "radio network: " + status)).orElse(null);
        };
        return result == null ? Response.noContent().build() : Response.accepted(result).build();
    }

    private static HandoverPrediction prediction(VirtualCompute vm, String source, List<String> targets) {
        if (targets.isEmpty()) {
            throw new InvalidInputException("trgEcgi", "name at least one target cell");
        }
        return new HandoverPrediction(null, vm.computeId(), source,
                targets.stream().map(c -> new HandoverPrediction.Candidate(c, null)).toList(), null, null);
    }

    private VirtualCompute vmOf(CellChangeNotification body) {
        if (body.associateId() == null || body.associateId().isEmpty()) {
            throw new InvalidInputException("associateId", "name the UE");
        }
        for (CellChangeNotification.AssociateId id : body.associateId()) {
            if (id != null && id.value() != null) {
                try {
                    return handoffs.vmOfUser(id.value());
                } catch (NotFoundException notThisOne) {
                    // try the UE's next identity
                }
            }
        }
        throw NotFoundException.withMessage("No VM follows any of the UE identities " + body.associateId().stream()
                .map(a -> a == null ? null : a.value()).toList());
    }

    /** MEC 012 hoStatus, by name or by its number (1-5) as older versions send it. */
    private static String status(String value) {
        if (value == null) {
            throw new InvalidInputException("hoStatus", "is required");
        }
        String s = value.toUpperCase(Locale.ROOT);
        return switch (s) {
            case "1", "IN_PREPARATION" -> "IN_PREPARATION";
            case "2", "IN_EXECUTION" -> "IN_EXECUTION";
            case "3", "COMPLETED" -> "COMPLETED";
            case "4", "REJECTED" -> "REJECTED";
            case "5", "CANCELLED" -> "CANCELLED";
            default -> throw new InvalidInputException("hoStatus",
                    "must be IN_PREPARATION, IN_EXECUTION, COMPLETED, REJECTED or CANCELLED (got '" + value + "')");
        };
    }
}
