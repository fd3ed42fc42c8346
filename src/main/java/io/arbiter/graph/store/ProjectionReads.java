package io.arbiter.graph.store;

import io.arbiter.graph.prov.GraphReads;
import io.arbiter.journal.Journal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;

/**
 * The graph as readers see it while the projection may lag the journal. A bundle the store does not
 * hold yet is read from the journal, so a resource answers at once after it was recorded. Queries
 * run on the store; a reader that must see every event acknowledged before it asked (the record
 * readers behind the services, reports) first waits, up to {@code readYourWrites}, for the
 * projection to reach the journal's size at the time of asking. Readers that say which sequence
 * they reflect instead (the graph API) do not wait: {@code readYourWrites} zero.
 */
public final class ProjectionReads implements GraphReads {

  private final ProvStore store;
  private final Journal journal;
  private final Unprojected unprojected;
  private final Projector projector;
  private final Duration readYourWrites;

  ProjectionReads(
      ProvStore store,
      Journal journal,
      Unprojected unprojected,
      Projector projector,
      Duration readYourWrites) {
    this.store = store;
    this.journal = journal;
    this.unprojected = unprojected;
    this.projector = projector;
    this.readYourWrites = readYourWrites;
  }

  /** These reads without waiting for the projection. */
  ProjectionReads current() {
    return new ProjectionReads(store, journal, unprojected, projector, Duration.ZERO);
  }

  private void catchUp() {
    if (!readYourWrites.isZero()) {
      projector.await(journal.size(), readYourWrites);
    }
  }

  @Override
  public <T> T query(Query query, Duration timeout, Function<QueryExecution, T> reader) {
    catchUp();
    return store.query(query, timeout, reader);
  }

  @Override
  public Optional<Graph> graph(String iri) {
    Optional<Graph> pending = fromJournal(iri);
    return pending.isPresent() ? pending : store.graph(iri);
  }

  /** A bundle the store does not hold yet, read from its journal record. */
  Optional<Graph> fromJournal(String bundleIri) {
    return unprojected.sequenceOf(bundleIri).flatMap(journal::read).map(RecordQuads::graph);
  }

  /** The bundles of not yet projected events about {@code subjectIri}, in log order. */
  List<String> unprojectedAbout(String subjectIri) {
    return unprojected.about(subjectIri);
  }

  /** Whether the store lacks any record the journal holds. */
  boolean hasUnprojected() {
    return projector.lagRecords() > 0;
  }

  @Override
  public <T> T read(Function<Snapshot, T> reader) {
    catchUp();
    return store.read(
        snapshot ->
            reader.apply(
                new Snapshot() {
                  @Override
                  public Optional<List<Triple>> triples(String graph) {
                    Optional<Graph> pending = fromJournal(graph);
                    return pending.isPresent()
                        ? pending.map(found -> found.find().toList())
                        : snapshot.triples(graph);
                  }

                  @Override
                  public <R> R query(
                      Query query, Duration timeout, Function<QueryExecution, R> rows) {
                    return snapshot.query(query, timeout, rows);
                  }
                }));
  }
}
