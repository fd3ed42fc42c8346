package io.arbiter.notify.api;

import io.arbiter.notify.CallbackDispatcher;
import io.arbiter.notify.CallbackRegistration;
import io.arbiter.notify.CallbackRegistry;
import io.arbiter.notify.DeadLetter;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import io.arbiter.web.RequestBodies;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/callbacks}: where an integrator is called when their pending decisions settle, and
 * the deliveries that failed.
 */
@Path("api/v1/callbacks")
@RequestScoped
@Tag(name = "callbacks")
public class CallbackResource {

  @Inject CallbackRegistry registry;
  @Inject CallbackDispatcher dispatcher;
  @Inject io.arbiter.decision.DecisionService decisions;

  @Inject
  @ConfigProperty(name = "arbiter.web.max-body-bytes")
  int maxBodyBytes;

  @Context SecurityContext security;

  /** A registration; the secret only in the answer to registering. */
  @Schema(name = "CallbackRegistration")
  public record RegistrationView(
      String url,
      @Schema(
              description =
                  "The Standard Webhooks signing secret (whsec_ and the base64 of the"
                      + " HMAC-SHA256 key); shown only when registering")
          String secret,
      Instant registeredAt) {
    static RegistrationView of(CallbackRegistration r, boolean withSecret) {
      return new RegistrationView(
          r.url().toString(), withSecret ? r.secret() : null, r.registeredAt());
    }
  }

  /** A delivery that failed every attempt. */
  @Schema(name = "DeadLetter")
  public record DeadLetterView(
      String id,
      String integrator,
      String url,
      @Schema(description = "The webhook-id it was sent with; a redelivery sends it again")
          String messageId,
      String decision,
      @Schema(description = "The JSON body that was to be delivered") String payload,
      int attempts,
      String lastError,
      Instant failedAt) {
    static DeadLetterView of(DeadLetter d) {
      return new DeadLetterView(
          d.id(),
          d.integrator(),
          d.url().toString(),
          d.messageId(),
          d.decision(),
          d.payload(),
          d.attempts(),
          d.lastError(),
          d.failedAt());
    }
  }

  @PUT
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.INTEGRATOR)
  @Operation(
      operationId = "registerCallback",
      summary = "Register the callback URL",
      description =
          "Body {\"url\": \"https://...\"}. Replaces any earlier registration and answers a new "
              + "signing secret, shown only now. Each settlement of a decision you submitted is "
              + "POSTed there as JSON, signed as the Standard Webhooks specification says "
              + "(webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256 of "
              + "\"<id>.<timestamp>.<body>\">); failures are retried with jittered exponential "
              + "backoff, then kept as dead letters. Only https URLs of public addresses are "
              + "accepted unless configured otherwise.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "CallbackRequest")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = RegistrationView.class)))
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "422", ref = "invalid")
  public RegistrationView register(InputStream body) {
    var json = RequestBodies.optionalObject(RequestBodies.read(body, maxBodyBytes), Set.of("url"));
    String url = json.get("url") instanceof JsonString s ? s.getString() : null;
    return RegistrationView.of(registry.register(caller(), url), true);
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.INTEGRATOR)
  @Operation(
      operationId = "getCallback",
      summary = "Your callback registration",
      description = "Without the secret.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = RegistrationView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public RegistrationView get() {
    return registry
        .find(caller())
        .map(r -> RegistrationView.of(r, false))
        .orElseThrow(
            () -> new ProblemException(ProblemType.NOT_FOUND, "You have registered no callback."));
  }

  @DELETE
  @RolesAllowed(Roles.INTEGRATOR)
  @Operation(operationId = "removeCallback", summary = "Stop callbacks")
  @APIResponse(responseCode = "204", description = "Removed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response remove() {
    if (!registry.remove(caller())) {
      throw new ProblemException(ProblemType.NOT_FOUND, "You have registered no callback.");
    }
    return Response.noContent().build();
  }

  @GET
  @Path("dead-letters")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.INTEGRATOR, Roles.ADMIN})
  @Operation(
      operationId = "listDeadLetters",
      summary = "Undelivered callbacks",
      description = "Deliveries that failed every attempt: an integrator's own; all for admins.")
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              schema = @Schema(type = SchemaType.ARRAY, implementation = DeadLetterView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public List<DeadLetterView> deadLetters() {
    return dispatcher.deadLetters(scope()).stream().map(DeadLetterView::of).toList();
  }

  @POST
  @Path("dead-letters/{id}/redeliver")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.INTEGRATOR, Roles.ADMIN})
  @Operation(
      operationId = "redeliverDeadLetter",
      summary = "Deliver a dead letter again",
      description = "Takes it off the list and delivers it to the current URL, with fresh retries.")
  @APIResponse(
      responseCode = "202",
      description = "Taken off the list and queued for delivery",
      content = @Content(schema = @Schema(implementation = DeadLetterView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response redeliver(@PathParam("id") String id) {
    DeadLetter letter =
        dispatcher
            .redeliver(id, scope())
            .orElseThrow(
                () -> new ProblemException(ProblemType.NOT_FOUND, "No dead letter " + id + "."));
    return Response.accepted(DeadLetterView.of(letter)).build();
  }

  /**
   * Admins act on every integrator's letters, integrators on their own. An admin bound to tenants
   * is not every tenant's admin: letters carry decisions of any tenant, so it sees its own only.
   */
  private String scope() {
    return security.isUserInRole(Roles.ADMIN) && decisions.scopeOf(caller()).global()
        ? null
        : caller();
  }

  private String caller() {
    return security.getUserPrincipal().getName();
  }
}
