package io.arbiter.graph.store;

import io.arbiter.graph.prov.GraphReads;
import io.arbiter.journal.Journal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
  public <T> T query(
      Query query,
      Duration timeout,
      io.arbiter.graph.prov.BundleFilter visible,
      Function<QueryExecution, T> reader) {
    catchUp();
    return store.query(query, timeout, visible, reader);
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

  /** The records the store lacks as of now (take it before asking the store). */
  Unprojected.Now unprojectedNow() {
    return unprojected.now();
  }

  /**
   * One state of the store, and the journal for what it lacked when that state was taken: the
   * bundles not yet projected are noted before the store's snapshot begins, so a record projected
   * meanwhile is read from one or the other, never neither.
   */
  @Override
  public <T> T read(Function<Snapshot, T> reader) {
    catchUp();
    Map<String, Long> pending = unprojected.bundlesNow();
    return store.read(
        snapshot ->
            reader.apply(
                new Snapshot() {
                  @Override
                  public Optional<List<Triple>> triples(String graph) {
                    Long sequence = pending.get(graph);
                    if (sequence != null) {
                      return journal
                          .read(sequence)
                          .map(RecordQuads::graph)
                          .map(found -> found.find().toList());
                    }
                    return snapshot.triples(graph);
                  }

                  @Override
                  public <R> R query(
                      Query query, Duration timeout, Function<QueryExecution, R> rows) {
                    return snapshot.query(query, timeout, rows);
                  }
                }));
  }
}
