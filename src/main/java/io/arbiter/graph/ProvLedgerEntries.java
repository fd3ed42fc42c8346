package io.arbiter.graph;

import io.arbiter.ledger.LedgerEntries;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Ledger entries as the graph store keeps them (beside the bundles, in the ledger graph). */
public record ProvLedgerEntries(ProvStore store) implements LedgerEntries {

  @Override
  public Optional<byte[]> entry(long seq) {
    return store.entry(seq);
  }

  @Override
  public void forEach(long from, long to, BiConsumer<Long, byte[]> sink) {
    store.forEachEntry(from, to, sink);
  }
}
