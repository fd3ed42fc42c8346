package io.arbiter.graph.store;

import io.arbiter.event.DomainEvent;
import io.arbiter.event.EventIds;
import io.arbiter.event.EventLog;
import io.arbiter.event.EventLogUnavailableException;
import io.arbiter.event.IriScheme;
import io.arbiter.event.Recorded;
import io.arbiter.graph.prov.BundleDigest;
import io.arbiter.graph.prov.ProvMapper;
import io.arbiter.journal.Journal;
import io.arbiter.ledger.LedgerEntry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.jena.graph.Graph;

/**
 * The event log on the journal. The costly work — the PROV mapping, the literals spelled as stores
 * keep them, the canonical N-Quads and their digest, the entry's bytes — runs on the caller's
 * thread, so callers do it in parallel; the journal's sequencer only numbers, appends and forces.
 * An event is acknowledged once its record is durable in the journal; the graph store catches up
 * behind it ({@link Projector}).
 */
public final class JournalEventLog implements EventLog {

  private static final Logger LOG = Logger.getLogger(JournalEventLog.class.getName());

  private final Journal journal;
  private final ProvMapper mapper;
  private final IriScheme iris;

  public JournalEventLog(Journal journal, ProvMapper mapper, IriScheme iris) {
    this.journal = journal;
    this.mapper = mapper;
    this.iris = iris;
  }

  @Override
  public CompletionStage<Recorded> append(DomainEvent event) {
    PreparedEvent prepared;
    try {
      prepared = prepare(event);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "cannot map a " + event.type() + " event to PROV", e);
      return CompletableFuture.failedFuture(
          new EventLogUnavailableException("cannot map the event", e));
    }
    return journal
        .append(prepared)
        .handle(
            (sequence, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
                throw new CompletionException(
                    new EventLogUnavailableException(cause.getMessage(), cause));
              }
              return new Recorded(sequence, prepared.bundleIri());
            });
  }

  /** The event's record, but for its sequence number. */
  PreparedEvent prepare(DomainEvent event) {
    String id = EventIds.next(event.time());
    String iri = iris.bundle(id);
    Graph triples = StoredLiterals.canonical(mapper.bundle(event, id));
    byte[] nquads = BundleDigest.canonicalNQuads(iri, () -> triples.find());
    LedgerEntry.Template entry =
        LedgerEntry.template(
            event.type(),
            event.time(),
            event.actor(),
            event.subjectIri(),
            iri,
            BundleDigest.sha256(nquads));
    return new PreparedEvent(iri, event.subjectIri(), nquads, entry);
  }
}
