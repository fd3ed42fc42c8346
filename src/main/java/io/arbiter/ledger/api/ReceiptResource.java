package io.arbiter.ledger.api;

import io.arbiter.decision.DecisionService;
import io.arbiter.ledger.Checkpoint;
import io.arbiter.ledger.CheckpointPublisher;
import io.arbiter.ledger.LedgerEntries;
import io.arbiter.ledger.MerkleHashes;
import io.arbiter.ledger.MerkleTree;
import io.arbiter.ledger.ProofException;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/decisions/{id}/receipt}: everything needed to prove offline that a decision is
 * in the log — its entries, their inclusion proofs, and the signed checkpoint and key they verify
 * against.
 */
@Path("api/v1/decisions/{id}/receipt")
@RequestScoped
// Tagged with decisions, not ledger: it is fetched by decision id, by the integrator who submitted
// it, beside the decision itself; the ledger tag is for the log as a whole (checkpoints, proofs).
@Tag(name = "decisions")
public class ReceiptResource {

  /** A decision's receipt. */
  @Schema(name = "Receipt")
  public record Receipt(
      String decision,
      @Schema(description = "The signed checkpoint note every proof verifies against")
          String checkpoint,
      @Schema(description = "The key that signed it (also at /api/v1/ledger/key)")
          String verifierKey,
      List<ProvenEntry> entries) {}

  /** One entry with its inclusion proof in the checkpoint's tree. */
  @Schema(name = "ProvenEntry")
  public record ProvenEntry(
      long seq, String canonical, String leafHash, long treeSize, List<String> proof) {}

  @Inject DecisionService decisions;
  @Inject MerkleTree tree;
  @Inject CheckpointPublisher checkpoints;
  @Inject LedgerEntries entries;
  @Context SecurityContext security;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.INTEGRATOR, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getDecisionReceipt",
      summary = "A decision's ledger receipt",
      description =
          "The decision's ledger entries, each with its RFC 9162 inclusion proof, and the signed "
              + "checkpoint they verify against. Integrators see only their own decisions.")
  @APIResponse(
      responseCode = "200",
      description = "The receipt",
      content = @Content(schema = @Schema(implementation = Receipt.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Receipt receipt(@PathParam("id") String id) {
    var decision =
        decisions.requireVisible(
            id,
            security.getUserPrincipal().getName(),
            Roles.readsAllDecisions(security::isUserInRole));
    long seq = decision.sequence();
    checkpoints.publish(); // so the receipt never waits for the next scheduled checkpoint
    String note = checkpoints.latestNote().orElseThrow();
    Checkpoint checkpoint = checkpoints.latest().orElseThrow();
    byte[] bytes =
        entries
            .entry(seq)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.STORE_UNAVAILABLE,
                        "The decision's ledger entry cannot be read."));
    try {
      List<String> proof = LedgerViews.base64(tree.inclusionProof(seq, checkpoint.size()));
      return new Receipt(
          decision.id().value(),
          note,
          checkpoints.key().verifierKey(),
          List.of(
              new ProvenEntry(
                  seq,
                  new String(bytes, StandardCharsets.UTF_8),
                  LedgerViews.base64(MerkleHashes.leaf(bytes)),
                  checkpoint.size(),
                  proof)));
    } catch (ProofException e) {
      throw new ProblemException(
          ProblemType.STORE_UNAVAILABLE, "The decision is not yet in a signed checkpoint.");
    }
  }
}
