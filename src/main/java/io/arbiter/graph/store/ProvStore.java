package io.arbiter.graph.store;

import io.arbiter.graph.prov.GraphReads;
import io.arbiter.journal.JournalRecord;
import java.util.List;
import java.util.Optional;

/**
 * The graph store, as the projection of the journal: the {@link Projector} applies journal records
 * to it in large transactions, each with the count of records applied so far (the watermark), so
 * that after a crash it goes on exactly where the store stands. Bundles are never changed; reads
 * are SPARQL over the union of all bundles. Adapters: {@link Tdb2ProvStore} (embedded, default) and
 * {@link SparqlProvStore} (a SPARQL 1.1 server such as Fuseki); {@code ProvStoreContract} in the
 * tests holds both to the same behaviour.
 */
public interface ProvStore extends GraphReads, AutoCloseable {

  /** How many journal records the store holds: records {@code 0 .. projected() - 1}. */
  long projected();

  /**
   * Adds the bundles of {@code records} — which must continue the store exactly: the first one's
   * sequence is {@link #projected()}, else nothing is written — with each bundle's place in the
   * ledger ({@code <bundle> arb:sequence n} in the ledger graph) and the new watermark, in one
   * transaction: afterwards all of it is stored, or (on exception) none of it. After an unclear
   * failure (a remote store that timed out), read {@link #projected()} again and go on from there.
   */
  void project(List<JournalRecord> records);

  /** Bytes the store occupies on disk (0 for a store that is not on local disk). */
  long diskBytes();

  /**
   * Starts reclaiming the space old versions of the data take (TDB2 copies every block a commit
   * touches): empty when this store has nothing to reclaim (in memory, or a server that manages its
   * own storage). {@link Compactor} drives it beside the projection.
   */
  Optional<StoreCompaction> beginCompaction();

  /** Whether the store answers a trivial read. */
  boolean isHealthy();

  @Override
  void close();
}
