package io.arbiter.graph.prov;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;

/**
 * Reading the graph: SPARQL over the union of all bundles, and single bundles by name. What the
 * record readers and the graph API are given; {@link io.arbiter.graph.store.ProvStore} adds the
 * projector's writes.
 */
public interface GraphReads {

  /**
   * Runs a query and hands its execution to {@code reader}, which must consume the results before
   * returning (they are valid only inside the read transaction). The default graph is the union of
   * all bundles.
   *
   * @param timeout overall limit; exceeding it cancels the query ({@link
   *     org.apache.jena.query.QueryCancelledException})
   */
  <T> T query(Query query, Duration timeout, Function<QueryExecution, T> reader);

  /**
   * {@link #query(Query, Duration, Function)} over the bundles {@code visible} accepts only: the
   * default graph is their union, and {@code GRAPH}, {@code FROM} and {@code FROM NAMED} reach no
   * other graph. The query text is not changed; the dataset it runs on is a view.
   *
   * @throws UnsupportedOperationException when this store cannot filter its graphs (a remote one)
   */
  default <T> T query(
      Query query, Duration timeout, BundleFilter visible, Function<QueryExecution, T> reader) {
    throw new UnsupportedOperationException("this store cannot show a caller some bundles only");
  }

  /** A copy of one named graph, if it exists. */
  Optional<Graph> graph(String iri);

  /**
   * Runs {@code reader} against one state of the store: whatever it reads through the {@link
   * Snapshot}, however long that takes, is as of the same moment, whatever is projected meanwhile.
   * The snapshot is valid only on the calling thread and only until {@code reader} returns.
   *
   * <p>This default reads each call afresh (for a store that cannot hold one read open); {@link
   * Tdb2ProvStore} holds one read transaction, which also holds off the end of a compaction until
   * {@code reader} returns.
   */
  default <T> T read(Function<Snapshot, T> reader) {
    GraphReads store = this;
    return reader.apply(
        new Snapshot() {
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

  /**
   * Reads by query through the bundles {@code visible} accepts only (a caller bound to tenants):
   * each query as {@link #query(Query, Duration, BundleFilter, Function)}, each in a read of its
   * own. It has no {@link Snapshot#triples}.
   */
  default Snapshot view(BundleFilter visible) {
    GraphReads store = this;
    return new Snapshot() {
      @Override
      public Optional<List<Triple>> triples(String graph) {
        throw new UnsupportedOperationException("a view of some bundles reads by query only");
      }

      @Override
      public <R> R query(Query query, Duration timeout, Function<QueryExecution, R> rows) {
        return store.query(query, timeout, visible, rows);
      }
    };
  }

  /** Reads within {@link GraphReads#read}: all of one state of the store. */
  interface Snapshot {

    /**
     * The triples of one named graph as stored, in no particular order, if it exists. The list is
     * the caller's, free to keep or to hand to another thread.
     */
    Optional<List<Triple>> triples(String graph);

    /** As {@link GraphReads#query}. */
    <T> T query(Query query, Duration timeout, Function<QueryExecution, T> reader);

    /**
     * Every named graph with its triples, one graph at a time, in the store's own order. A store
     * that keeps its quads by graph reads them front to back ({@link
     * io.arbiter.graph.store.Tdb2ProvStore}: its GSPO index, where graphs lie in the order their
     * names were first written, close to the journal's), so a pass over a store larger than memory
     * reads each block once. This default names the graphs by query and reads each by name. The
     * iterator is valid only inside the read.
     *
     * @param passedOver graphs left out unread (the ledger graph: as many quads as bundles)
     */
    default Iterator<NamedGraph> graphs(java.util.Set<String> passedOver) {
      List<String> names =
          query(
              Sparql.prepare("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }").asQuery(),
              Duration.ofHours(1),
              execution -> {
                List<String> found = new java.util.ArrayList<>();
                execution
                    .execSelect()
                    .forEachRemaining(
                        row -> {
                          var name = row.get("g").asNode();
                          // Jena's own names for the default and union graphs are no store graphs.
                          if (name.isURI()
                              && !org.apache.jena.sparql.core.Quad.isDefaultGraph(name)
                              && !org.apache.jena.sparql.core.Quad.isUnionGraph(name)) {
                            found.add(name.getURI());
                          }
                        });
                return found;
              });
      return names.stream()
          .filter(name -> !passedOver.contains(name))
          .flatMap(name -> triples(name).map(found -> new NamedGraph(name, found)).stream())
          .iterator();
    }
  }

  /** One named graph's triples, as {@link Snapshot#graphs} reads them. */
  record NamedGraph(String name, List<Triple> triples) {}
}
