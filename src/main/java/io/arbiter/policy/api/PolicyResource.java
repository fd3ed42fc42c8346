package io.arbiter.policy.api;

import io.arbiter.event.IriScheme;
import io.arbiter.policy.PolicyCatalog;
import io.arbiter.policy.PolicyTransition;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import io.arbiter.web.ProvenanceLinks;
import io.arbiter.web.RequestBodies;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/policies}: submit policy versions and move them through their lifecycle. */
@Path("api/v1/policies")
@RequestScoped
@Tag(name = "policies")
public class PolicyResource {

  static final String YAML = "application/yaml";
  static final String SCHEMA = "/io/arbiter/policy/policy.schema.json";

  @Inject PolicyCatalog catalog;
  @Inject IriScheme iris;

  @Inject
  @ConfigProperty(name = "arbiter.web.max-body-bytes")
  int maxBodyBytes;

  @Context SecurityContext security;
  @Context UriInfo uri;

  @GET
  @Path("schema")
  @Produces({"application/schema+json", MediaType.APPLICATION_JSON})
  @RolesAllowed({
    Roles.POLICY_AUTHOR,
    Roles.POLICY_APPROVER,
    Roles.AUDITOR,
    Roles.ADMIN,
    Roles.INTEGRATOR,
    Roles.REVIEWER,
    Roles.LEAD_REVIEWER
  })
  @Operation(
      operationId = "getPolicySchema",
      summary = "The JSON Schema of policy documents",
      description = "JSON Schema 2020-12 for policy documents, in YAML or JSON.")
  @APIResponse(
      responseCode = "200",
      description = "The schema",
      content = {
        @Content(mediaType = "application/schema+json", schema = @Schema(type = SchemaType.OBJECT)),
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT))
      })
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public Response schema() {
    try (InputStream schema = PolicyResource.class.getResourceAsStream(SCHEMA)) {
      return Response.ok(schema.readAllBytes()).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @POST
  @Consumes({YAML, "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.POLICY_AUTHOR)
  @Operation(
      operationId = "submitPolicyVersion",
      summary = "Submit a policy version",
      description =
          "Records the document as a draft version after type-checking every CEL condition against"
              + " the declared inputs. Versions are immutable: the same id and version with the same"
              + " content returns the existing version (200); with other content it is refused (409).")
  @RequestBody(
      required = true,
      content = {
        @Content(mediaType = YAML, schema = @Schema(ref = PolicySchemaFilter.NAME)),
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = PolicySchemaFilter.NAME))
      })
  @APIResponse(
      responseCode = "201",
      description = "Recorded as a draft",
      content = @Content(schema = @Schema(implementation = PolicyVersionView.class)))
  @APIResponse(
      responseCode = "200",
      description = "This exact version exists already",
      content = @Content(schema = @Schema(implementation = PolicyVersionView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "413", ref = "tooLarge")
  @APIResponse(responseCode = "415", ref = "unsupportedMediaType")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public Response submit(InputStream body) {
    String text = utf8(RequestBodies.read(body, maxBodyBytes));
    var registration = catalog.register(text, caller());
    var view = PolicyVersionView.of(registration.version(), iris);
    if (!registration.created()) {
      return Response.ok(view).build();
    }
    return Response.created(
            uri.getBaseUriBuilder()
                .path("api/v1/policies/{id}/versions/{version}")
                .build(view.id(), view.version()))
        .entity(view)
        .build();
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.POLICY_AUTHOR, Roles.POLICY_APPROVER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "listPolicyVersions",
      summary = "List policy versions",
      description = "Every version, by policy id.")
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              schema = @Schema(type = SchemaType.ARRAY, implementation = PolicyVersionView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public List<PolicyVersionView> list() {
    return catalog.list().stream().map(v -> PolicyVersionView.of(v, iris)).toList();
  }

  @GET
  @Path("{id}/versions/{version}")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.POLICY_AUTHOR, Roles.POLICY_APPROVER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getPolicyVersion",
      summary = "Get a policy version",
      description = "With its document and history.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = PolicyVersionView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response get(@PathParam("id") String id, @PathParam("version") String version) {
    PolicyVersionView view = PolicyVersionView.of(catalog.require(id, version), iris);
    String entity = iris.policyVersion(id, version);
    return ProvenanceLinks.add(
            Response.ok(view),
            uri,
            security::isUserInRole,
            entity,
            ProvenanceLinks.dereference(iris, entity))
        .build();
  }

  // One operation per lifecycle step, so that each has its own path and operationId in the
  // OpenAPI document; the steps share the annotations below and transition(...).

  @POST
  @Path("{id}/versions/{version}/approve")
  @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.POLICY_APPROVER)
  @Operation(
      operationId = "approvePolicyVersion",
      summary = "Approve a draft version",
      description = "Never by its author. The optional reason is recorded.")
  @RequestBody(
      required = false,
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Reason")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = PolicyVersionView.class)))
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public PolicyVersionView approve(
      @PathParam("id") String id, @PathParam("version") String version, InputStream body) {
    return transition(id, version, PolicyTransition.APPROVE, body);
  }

  @POST
  @Path("{id}/versions/{version}/activate")
  @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.POLICY_APPROVER)
  @Operation(
      operationId = "activatePolicyVersion",
      summary = "Activate an approved or shadow version",
      description =
          "The active version of the same policy goes back to approved, so activating an older"
              + " version is the rollback. The optional reason is recorded.")
  @RequestBody(
      required = false,
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Reason")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = PolicyVersionView.class)))
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public PolicyVersionView activate(
      @PathParam("id") String id, @PathParam("version") String version, InputStream body) {
    return transition(id, version, PolicyTransition.ACTIVATE, body);
  }

  @POST
  @Path("{id}/versions/{version}/shadow")
  @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.POLICY_APPROVER)
  @Operation(
      operationId = "shadowPolicyVersion",
      summary = "Evaluate a version in shadow",
      description =
          "Evaluated beside the active version, never applied (see the shadow report). The"
              + " optional reason is recorded.")
  @RequestBody(
      required = false,
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Reason")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = PolicyVersionView.class)))
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public PolicyVersionView shadow(
      @PathParam("id") String id, @PathParam("version") String version, InputStream body) {
    return transition(id, version, PolicyTransition.SHADOW, body);
  }

  @POST
  @Path("{id}/versions/{version}/retire")
  @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.POLICY_APPROVER)
  @Operation(
      operationId = "retirePolicyVersion",
      summary = "Retire a version for good",
      description = "The optional reason is recorded.")
  @RequestBody(
      required = false,
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Reason")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = PolicyVersionView.class)))
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public PolicyVersionView retire(
      @PathParam("id") String id, @PathParam("version") String version, InputStream body) {
    return transition(id, version, PolicyTransition.RETIRE, body);
  }

  private PolicyVersionView transition(
      String id, String version, PolicyTransition step, InputStream body) {
    Optional<String> reason = reason(RequestBodies.read(body, maxBodyBytes));
    return PolicyVersionView.of(catalog.transition(id, version, step, caller(), reason), iris);
  }

  /** The optional {@code {"reason": "..."}} body; nothing else is accepted in it. */
  private static Optional<String> reason(byte[] bytes) {
    JsonObject object = RequestBodies.optionalObject(bytes, Set.of("reason"));
    JsonValue reason = object.get("reason");
    if (reason == null) {
      return Optional.empty();
    }
    if (!(reason instanceof JsonString text) || text.getString().length() > 2000) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "The reason is not valid.",
          List.of(new FieldError("reason", "must be a string of at most 2000 characters")));
    }
    return Optional.of(text.getString());
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProblemException(ProblemType.BAD_REQUEST, "The body is not UTF-8 text.");
    }
  }

  private String caller() {
    return security.getUserPrincipal().getName();
  }
}
