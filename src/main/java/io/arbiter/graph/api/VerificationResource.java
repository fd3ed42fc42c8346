package io.arbiter.graph.api;

import io.arbiter.event.IriScheme;
import io.arbiter.event.Jsonp;
import io.arbiter.graph.store.GraphRuntime;
import io.arbiter.graph.verify.LedgerVerifier;
import io.arbiter.jobs.api.Prefer;
import io.arbiter.jobs.api.Reports;
import io.arbiter.ledger.CheckpointPublisher;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import io.arbiter.web.RequestBodies;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api/v1/ledger/verify}: replays the whole store against the signed log, now. */
@Path("api/v1/ledger/verify")
@RequestScoped
@Tag(name = "ledger")
public class VerificationResource {

  /** A verification report as JSON. */
  public record ReportView(
      boolean ok, long entries, long bundles, Long checkpointSize, List<FaultView> faults) {}

  /** One fault. */
  public record FaultView(String kind, Long sequence, String bundle, String message) {}

  @Inject GraphRuntime runtime;
  @Inject IriScheme iris;
  @Inject CheckpointPublisher checkpoints;
  @Inject HeavyRequests heavy;
  @Inject Reports reports;
  @Context SecurityContext security;
  @Context HttpHeaders headers;
  @Context UriInfo uri;

  @Inject
  @ConfigProperty(name = "arbiter.web.max-body-bytes")
  int maxBodyBytes;

  @POST
  @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "verifyLedger",
      summary = "Verify the store against the ledger",
      description =
          "Reads the whole journal: every record's CRC, entry and bundle digest; rebuilds the tree "
              + "and checks it against the latest signed checkpoint, any earlier checkpoints given "
              + "as {\"earlierCheckpoints\": [note, ...]}, and the stored tiles; then checks every "
              + "bundle the graph store holds against its journal record, and that it holds no "
              + "other. Each fault names the sequence number and bundle at fault. Slow on large "
              + "logs: with Prefer: respond-async, runs as a job (202, the job at Location; "
              + "progress counts journal records checked, once against the log, once against "
              + "the store).")
  @Parameter(
      name = Prefer.HEADER,
      in = ParameterIn.HEADER,
      description = Prefer.DESCRIPTION,
      schema = @Schema(type = SchemaType.STRING, example = "respond-async"))
  @RequestBody(
      required = false,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "VerificationRequest")))
  @APIResponse(
      responseCode = "200",
      description = "The report; ok is false when faults were found",
      content = @Content(schema = @Schema(implementation = ReportView.class)))
  @APIResponse(responseCode = "202", ref = "jobAccepted")
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "429", ref = "tooManyRunning")
  @APIResponse(responseCode = "503", ref = "verificationUnavailable")
  public Response verify(InputStream body) {
    byte[] bytes = RequestBodies.read(body, maxBodyBytes);
    List<String> earlier = List.of();
    if (bytes.length > 0) {
      try (var reader = Jsonp.PROVIDER.createReader(new ByteArrayInputStream(bytes))) {
        JsonObject request = reader.readObject();
        earlier =
            request.getJsonArray("earlierCheckpoints").stream()
                .map(v -> ((JsonString) v).getString())
                .toList();
      } catch (RuntimeException e) {
        throw new ProblemException(
            ProblemType.MALFORMED_JSON,
            "Send nothing, or {\"earlierCheckpoints\": [\"<signed note>\", ...]}.");
      }
    }
    String latest =
        checkpoints
            .latestNote()
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.STORE_UNAVAILABLE, "No checkpoint has been signed yet."));
    List<String> earlierNotes = earlier;
    return reports.run(
        "verification",
        headers,
        security,
        uri,
        heavy::verification,
        progress ->
            view(
                new LedgerVerifier(iris.ledgerGraph(), Optional.of(checkpoints.tiles()))
                    .verify(
                        runtime.journal(),
                        Optional.of(runtime.store()),
                        checkpoints.key().verifierKey(),
                        latest,
                        earlierNotes,
                        progress)));
  }

  private static ReportView view(LedgerVerifier.Report report) {
    return new ReportView(
        report.ok(),
        report.entries(),
        report.bundles(),
        report.checkpointSize().orElse(null),
        report.faults().stream()
            .map(
                f ->
                    new FaultView(
                        f.kind().name(),
                        f.sequence().orElse(null),
                        f.bundle().orElse(null),
                        f.message()))
            .toList());
  }
}
