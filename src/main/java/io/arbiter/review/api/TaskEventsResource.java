package io.arbiter.review.api;

import io.arbiter.review.Caller;
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

/**
 * {@code /api/v1/reviews/events}: an event for every change of a task the caller may see; a root
 * class of its own, whose longer literal path JAX-RS matches before the task ids of {@link
 * ReviewResource}.
 */
@Path("api/v1/reviews/events")
@RequestScoped
@Tag(name = "reviews")
public class TaskEventsResource {

  @Inject TaskChangeStream stream;
  @Context SecurityContext security;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RolesAllowed({Roles.REVIEWER, Roles.LEAD_REVIEWER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "streamTaskChanges",
      summary = "Stream review task changes",
      description =
          "Server-sent events named "
              + TaskChangeStream.TYPE
              + ", one whenever a task the caller may see is opened or takes a step (claim,"
              + " release, verdict, adjudication, escalation, timeout), with the task id as the"
              + " event id and {id, queue, kind, state} as data: nothing of the decision, so a"
              + " page asks the API again for what it shows. A comment line opens the stream and"
              + " follows every arbiter.events.heartbeat; a caller's event streams of every kind"
              + " count against arbiter.events.max-concurrent-per-caller.")
  @APIResponse(
      responseCode = "200",
      description = "An open event stream; each event's data is {id, queue, kind, state}",
      content =
          @Content(
              mediaType = MediaType.SERVER_SENT_EVENTS,
              schema = @Schema(type = SchemaType.STRING)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "429", ref = "tooManyRunning")
  @APIResponse(responseCode = "503", ref = "streamsBusy")
  public void subscribe(@Context SseEventSink sink, @Context Sse sse) {
    Caller caller =
        Caller.withRolesNow(security.getUserPrincipal().getName(), security::isUserInRole);
    stream.subscribe(caller, sink, sse);
  }
}
