package io.arbiter.notify.api;

import io.arbiter.notify.SettlementMessage;
import io.arbiter.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/events}: a server-sent event for every settlement the caller may see. */
@Path("api/v1/events")
@RequestScoped
@Tag(name = "callbacks")
public class EventStreamResource {

  @Inject SettlementStream stream;
  @Inject io.arbiter.decision.DecisionService decisions;
  @Context SecurityContext security;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RolesAllowed({Roles.INTEGRATOR, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "streamSettlements",
      summary = "Stream settlements",
      description =
          "Server-sent events named "
              + SettlementMessage.TYPE
              + ", one per decision settled after review, with the same JSON as a callback and "
              + "the decision id as the event id. Integrators hear of the decisions they "
              + "submitted; auditors and admins of all. A comment line opens the stream and"
              + " follows every arbiter.events.heartbeat. Each caller may hold"
              + " arbiter.events.max-concurrent-per-caller streams at once.")
  @APIResponse(
      responseCode = "200",
      description =
          "An open event stream; each event's data is the settlement's JSON, as a callback"
              + " receives it",
      content =
          @Content(
              mediaType = MediaType.SERVER_SENT_EVENTS,
              schema = @Schema(type = SchemaType.STRING)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "429", ref = "tooManyRunning")
  @APIResponse(responseCode = "503", ref = "streamsBusy")
  public void subscribe(@Context SseEventSink sink, @Context Sse sse) {
    String caller = security.getUserPrincipal().getName();
    boolean readsAll = Roles.readsAllDecisions(security::isUserInRole);
    stream.subscribe(caller, readsAll, decisions.scopeOf(caller), sink, sse);
  }
}
