package io.arbiter.ledger.api;

import io.arbiter.ledger.CheckpointPublisher;
import io.arbiter.ledger.LedgerEntries;
import io.arbiter.ledger.MerkleHashes;
import io.arbiter.ledger.MerkleTree;
import io.arbiter.ledger.ProofException;
import io.arbiter.ledger.Tiles;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The ledger: {@code /ledger/checkpoint} (C2SP tlog-checkpoint in a signed note), the hash tiles
 * and the key are public, so anyone can hold Arbiter to what it has published; entries (which name
 * the people who acted), entry tiles and proofs need an auditor.
 */
@Path("")
@RequestScoped
@Tag(name = "ledger")
public class LedgerResource {

  @Inject MerkleTree tree;
  @Inject CheckpointPublisher checkpoints;
  @Inject LedgerEntries entries;
  @Inject io.arbiter.decision.TenantGrants grants;
  @Inject io.arbiter.decision.TenantEvents tenants;
  @jakarta.ws.rs.core.Context jakarta.ws.rs.core.SecurityContext security;

  @GET
  @Path("ledger/checkpoint")
  @Produces(MediaType.TEXT_PLAIN + "; charset=utf-8")
  @PermitAll
  @SecurityRequirements // none: the document's basic scheme does not apply
  @Operation(
      operationId = "getCheckpoint",
      summary = "Latest signed checkpoint",
      description =
          "A C2SP tlog-checkpoint (origin, tree size, base64 root) in a C2SP signed note, "
              + "signed with Ed25519. Public: verify it with the key from /api/v1/ledger/key.")
  @APIResponse(
      responseCode = "200",
      description = "The signed note, in UTF-8",
      // Without the charset parameter: clients send the media type as Accept, and an Accept with
      // a charset parameter matches nothing here (406).
      content =
          @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)))
  @APIResponse(responseCode = "406", ref = "notAcceptable")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public String checkpoint() {
    return checkpoints
        .latestNote()
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.STORE_UNAVAILABLE, "No checkpoint has been signed yet."));
  }

  @GET
  @Path("ledger/tile/{path: .+}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  @PermitAll
  @SecurityRequirements // none: the document's basic scheme does not apply
  @Operation(
      operationId = "getTile",
      summary = "A C2SP tlog-tiles hash tile",
      description =
          "tile/<L>/<N>[.p/<W>], within the latest checkpoint. Public, like the checkpoint: a"
              + " witness or mirror checks consistency from hash tiles and checkpoints alone. Full"
              + " tiles never change. Entry bundles (tile/entries/...) need an auditor.")
  @APIResponse(
      responseCode = "200",
      description = "The tile's bytes",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_OCTET_STREAM,
              schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response tile(
      @Parameter(
              description =
                  "<L>/<N>[.p/<W>], e.g. 0/x001/234; its slashes are part of the path, not"
                      + " encoded",
              schema = @Schema(type = SchemaType.STRING))
          @PathParam("path")
          String path) {
    return served("tile/" + path, false);
  }

  /**
   * Entry bundles hold each entry's actor, the user name of whoever acted, so they are for auditors
   * only, as {@code /api/v1/ledger/entries/{seq}} is (docs/ledger.md, "What is public").
   */
  @GET
  @Path("ledger/tile/entries/{path: .+}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getEntryTile",
      summary = "A C2SP tlog-tiles entry bundle",
      description =
          "tile/entries/<N>[.p/<W>], within the latest checkpoint: the entries, each a big-endian"
              + " uint16 length and its canonical JSON. Auditors only: entries name the people"
              + " who acted. Full bundles never change.")
  @APIResponse(
      responseCode = "200",
      description = "The entry bundle's bytes",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_OCTET_STREAM,
              schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response entryTile(
      @Parameter(
              description = "<N>[.p/<W>], e.g. x001/234; its slashes are part of the path",
              schema = @Schema(type = SchemaType.STRING))
          @PathParam("path")
          String path) {
    entriesSpanTenants();
    return served("tile/entries/" + path, true);
  }

  private Response served(String path, boolean entries) {
    Tiles.Tile tile =
        Tiles.parse(path)
            .filter(t -> t.entries() == entries)
            .filter(t -> published(t))
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.NOT_FOUND,
                        "No such tile in the latest checkpoint's tree (C2SP tlog-tiles paths)."));
    return Response.ok(checkpoints.tiles().content(tree, tile))
        .header(
            "Cache-Control",
            tile.partial()
                ? "no-cache"
                : (entries ? "private" : "public") + ", max-age=31536000, immutable")
        .build();
  }

  // A tile is served once a signed checkpoint covers it, so mirrors never see unsigned data.
  private boolean published(Tiles.Tile tile) {
    return tile.within(checkpoints.latest().map(c -> c.size()).orElse(0L));
  }

  @GET
  @Path("api/v1/ledger/key")
  @Produces(MediaType.APPLICATION_JSON)
  @PermitAll
  @SecurityRequirements // none: the document's basic scheme does not apply
  @Operation(
      operationId = "getLedgerKey",
      summary = "The checkpoint-signing public key",
      description = "Public.")
  @APIResponse(
      responseCode = "200",
      description = "The key",
      content = @Content(schema = @Schema(implementation = LedgerViews.Key.class)))
  @APIResponse(responseCode = "406", ref = "notAcceptable")
  public LedgerViews.Key key() {
    return new LedgerViews.Key(checkpoints.origin(), checkpoints.key().verifierKey());
  }

  @GET
  @Path("api/v1/ledger/entries/{seq}")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getLedgerEntry",
      summary = "One ledger entry",
      description =
          "Its exact bytes and leaf hash. A caller bound to tenants reads the entries of its"
              + " tenants' decisions and tasks and of the shared registry and policies; any other"
              + " is not found.")
  @APIResponse(responseCode = "200", description = "The entry")
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public LedgerViews.Entry entry(
      @Parameter(
              description = "The entry's sequence number",
              schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
          @PathParam("seq")
          String seq) {
    long index = number(seq, "seq");
    ProblemException none =
        new ProblemException(ProblemType.NOT_FOUND, "There is no ledger entry " + index + ".");
    byte[] bytes = entries.entry(index).orElseThrow(() -> none);
    // A caller bound to tenants reads the entries of the events its graph shows (its tenants'
    // decisions and tasks, the shared registry and policies); any other reads as not there.
    io.arbiter.decision.TenantScope scope = grants.scopeOf(security.getUserPrincipal().getName());
    if (!scope.global() && !visible(scope, bytes)) {
      throw none;
    }
    return new LedgerViews.Entry(
        index,
        new String(bytes, StandardCharsets.UTF_8),
        LedgerViews.base64(MerkleHashes.leaf(bytes)));
  }

  @GET
  @Path("api/v1/ledger/proofs/inclusion")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getInclusionProof",
      summary = "Inclusion proof",
      description =
          "RFC 9162 proof that entry `seq` is in the tree of "
              + "`treeSize` entries (default: the latest checkpoint's size).")
  @APIResponse(responseCode = "200", description = "The proof")
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public LedgerViews.Inclusion inclusion(
      @Parameter(
              description = "The entry's sequence number",
              required = true,
              schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
          @QueryParam("seq")
          String seq,
      @Parameter(
              description = "A checkpoint's tree size above seq; default: the latest checkpoint's",
              schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"))
          @QueryParam("treeSize")
          String treeSize) {
    long index = number(seq, "seq");
    long size = treeSize == null ? checkpointSize() : number(treeSize, "treeSize");
    try {
      List<byte[]> proof = tree.inclusionProof(index, size);
      return new LedgerViews.Inclusion(
          index,
          size,
          LedgerViews.base64(tree.leafHash(index)),
          LedgerViews.base64(tree.root(size)),
          LedgerViews.base64(proof));
    } catch (ProofException e) {
      throw refused(e, "seq", "treeSize");
    }
  }

  @GET
  @Path("api/v1/ledger/proofs/consistency")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getConsistencyProof",
      summary = "Consistency proof",
      description =
          "RFC 9162 proof that the tree of `to` entries "
              + "(default: the latest checkpoint's size) extends the tree of `from` entries.")
  @APIResponse(responseCode = "200", description = "The proof")
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public LedgerViews.Consistency consistency(
      @Parameter(
              description = "The earlier tree size",
              required = true,
              schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
          @QueryParam("from")
          String from,
      @Parameter(
              description = "The later tree size; default: the latest checkpoint's",
              schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"))
          @QueryParam("to")
          String to) {
    long m = number(from, "from");
    long n = to == null ? checkpointSize() : number(to, "to");
    try {
      List<byte[]> proof = tree.consistencyProof(m, n);
      return new LedgerViews.Consistency(
          m,
          n,
          LedgerViews.base64(tree.root(m)),
          LedgerViews.base64(tree.root(n)),
          LedgerViews.base64(proof));
    } catch (ProofException e) {
      throw refused(e, "from", "to");
    }
  }

  private long checkpointSize() {
    return checkpoints.latest().map(c -> c.size()).orElse(tree.size());
  }

  private static long number(String raw, String field) {
    try {
      long value = Long.parseLong(raw == null ? "" : raw);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ProblemException(
        ProblemType.BAD_REQUEST,
        "Parameter " + field + " must be a whole number from 0.",
        List.of(
            new FieldError(
                field,
                raw == null ? "is required" : "'" + raw + "' is not a whole number from 0")));
  }

  private ProblemException refused(ProofException e, String first, String second) {
    return new ProblemException(
        ProblemType.BAD_REQUEST,
        "No such proof in a log of " + tree.size() + " entries: " + e.getMessage() + ".",
        List.of(
            new FieldError(
                e.kind() == ProofException.Kind.INDEX_BEYOND_SIZE ? first : second,
                e.kind().name())));
  }

  /** Whether a caller bound to tenants may read this entry; one that does not parse, no. */
  private boolean visible(io.arbiter.decision.TenantScope scope, byte[] bytes) {
    try {
      io.arbiter.ledger.LedgerEntry entry = io.arbiter.ledger.LedgerEntry.parse(bytes);
      return tenants.visible(scope, entry.type(), entry.subject());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A tile holds 256 entries of every tenant, whole or not at all (its bytes are what a verifier
   * hashes): not for a caller bound to tenants.
   */
  private void entriesSpanTenants() {
    grants.scopeOf(security.getUserPrincipal().getName()).requireGlobal("Ledger entries");
  }
}
