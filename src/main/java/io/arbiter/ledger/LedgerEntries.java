package io.arbiter.ledger;

import java.util.Optional;
import java.util.function.BiConsumer;

/** Reads stored ledger entries (the graph store keeps them beside the bundles). */
public interface LedgerEntries {

  /** The exact stored bytes of entry {@code seq}, if it exists. */
  Optional<byte[]> entry(long seq);

  /** Every stored entry with {@code from <= seq < to}, in sequence order. */
  void forEach(long from, long to, BiConsumer<Long, byte[]> sink);
}
