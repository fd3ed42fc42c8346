package io.arbiter.graph;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;

/**
 * The graph store, as Arbiter uses it: bundles go in atomically and are never changed; reads are
 * SPARQL over the union of all bundles. Adapters: {@link Tdb2ProvStore} (embedded, default) and
 * {@link SparqlProvStore} (a SPARQL 1.1 server such as Fuseki); {@code ProvStoreContract} in the
 * tests holds both to the same behaviour.
 */
public interface ProvStore extends AutoCloseable {

  /** One past the highest sequence number stored: where the log continues. */
  long nextSequence();

  /**
   * Stores bundles and their ledger entries in one transaction: afterwards all of them are durable,
   * or (on exception) none is. Bundle names must be new.
   */
  void append(List<Bundle> bundles);

  /**
   * A copy of {@code graph} with every term spelled as this store will return it (TDB2, for one,
   * keeps numbers and times by value, so {@code 0.10} comes back as {@code 0.1}). Digests computed
   * over this form still match what a verifier reads later.
   */
  Graph asStored(Graph graph);

  /** The stored bytes of ledger entry {@code sequence}, if there is one. */
  Optional<byte[]> entry(long sequence);

  /** Every stored ledger entry with {@code from <= sequence < to}, in sequence order. */
  void forEachEntry(long from, long to, java.util.function.BiConsumer<Long, byte[]> sink);

  /**
   * Runs a query and hands its execution to {@code reader}, which must consume the results before
   * returning (they are valid only inside the read transaction). The default graph is the union of
   * all bundles.
   *
   * @param timeout overall limit; exceeding it cancels the query ({@link
   *     org.apache.jena.query.QueryCancelledException})
   */
  <T> T query(Query query, Duration timeout, Function<QueryExecution, T> reader);

  /** A copy of one named graph, if it exists. */
  Optional<Graph> graph(String iri);

  /**
   * Runs {@code reader} against one state of the store: whatever it reads through the {@link
   * Snapshot} — the whole ledger and every bundle, however long that takes — is as of the same
   * moment, whatever is appended meanwhile. The snapshot is valid only on the calling thread and
   * only until {@code reader} returns.
   *
   * <p>This default reads each call afresh (for a store that cannot hold one read open); {@link
   * Tdb2ProvStore} holds one read transaction, which also holds off the end of a compaction until
   * {@code reader} returns.
   */
  default <T> T read(Function<Snapshot, T> reader) {
    ProvStore store = this;
    return reader.apply(
        new Snapshot() {
          @Override
          public void forEachEntry(long from, long to, BiConsumer<Long, byte[]> sink) {
            store.forEachEntry(from, to, sink);
          }

          @Override
          public Optional<List<Triple>> triples(String graph) {
            return store.graph(graph).map(found -> found.find().toList());
          }

          @Override
          public <R> R query(Query query, Duration timeout, Function<QueryExecution, R> rows) {
            return store.query(query, timeout, rows);
          }
        });
  }

  /** Reads within {@link ProvStore#read}: all of one state of the store. */
  interface Snapshot {

    /** As {@link ProvStore#forEachEntry}. */
    void forEachEntry(long from, long to, BiConsumer<Long, byte[]> sink);

    /**
     * The triples of one named graph as stored, in no particular order, if it exists. The list is
     * the caller's, free to keep or to hand to another thread.
     */
    Optional<List<Triple>> triples(String graph);

    /** As {@link ProvStore#query}. */
    <T> T query(Query query, Duration timeout, Function<QueryExecution, T> reader);
  }

  /** Bytes the store occupies on disk (0 for a store that is not on local disk). */
  long diskBytes();

  /**
   * Reclaims the space old versions of the data take (TDB2 copies every block a commit touches).
   * Call from the writer between batches; readers carry on.
   */
  void compact();

  /** Whether the store answers a trivial read. */
  boolean isHealthy();

  @Override
  void close();
}
