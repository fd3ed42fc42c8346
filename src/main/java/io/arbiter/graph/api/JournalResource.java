package io.arbiter.graph.api;

import io.arbiter.graph.store.GraphRuntime;
import io.arbiter.graph.store.Projector;
import io.arbiter.journal.Journal;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/journal}: where the write path stands, and sealing for an online backup
 * (docs/operations.md).
 */
@Path("api/v1/journal")
@RequestScoped
@Tag(name = "operations")
public class JournalResource {

  /** The journal and the projection behind it. */
  public record StatusView(
      long events,
      long bytes,
      long projected,
      long lagEvents,
      long lagMillis,
      long storeBytes,
      String failure) {}

  /** One sealed segment: a file to copy, never written again. */
  public record SegmentView(String name, long firstSequence, long events, long bytes) {}

  /** What a backup copies: every sealed segment; together they hold events 0 to events - 1. */
  public record SealView(long events, List<SegmentView> segments) {}

  @Inject GraphRuntime runtime;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
  @Operation(
      operationId = "getJournalStatus",
      summary = "The journal and the projection",
      description =
          "How many events the journal holds and its size on disk; how many the graph store holds,"
              + " how far and how long it lags, its size on disk (0 for a remote store), and why if"
              + " the store is failing.")
  @APIResponse(responseCode = "200", description = "The status")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public StatusView status() {
    Projector projector = runtime.projector();
    return new StatusView(
        runtime.journal().size(),
        runtime.journal().diskBytes(),
        projector.projected(),
        projector.lagRecords(),
        projector.lag().toMillis(),
        runtime.store().diskBytes(),
        projector.failure().orElse(null));
  }

  @POST
  @Path("seal")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      operationId = "sealJournal",
      summary = "Seal the journal for a backup",
      description =
          "Closes the segment being written, so that every event recorded so far lies in sealed"
              + " segment files that are never written again, and lists them. Copying those files"
              + " (with keys/ledger.key and ledger/checkpoint) while Arbiter runs is a consistent"
              + " backup of every event up to `events - 1`; restoring is copying them back and"
              + " rebuilding the graph store from them (docs/operations.md).")
  @APIResponse(responseCode = "200", description = "The sealed segments")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public SealView seal() {
    List<Journal.Segment> sealed;
    try {
      sealed = runtime.journal().seal();
    } catch (io.arbiter.journal.JournalException e) {
      throw new io.arbiter.problem.ProblemException(
          ProblemType.STORE_UNAVAILABLE, "The journal cannot be sealed now; retry later.");
    }
    long events = 0;
    for (Journal.Segment segment : sealed) {
      events = Math.max(events, segment.firstSequence() + segment.records());
    }
    return new SealView(
        events,
        sealed.stream()
            .map(s -> new SegmentView(s.name(), s.firstSequence(), s.records(), s.bytes()))
            .toList());
  }
}
