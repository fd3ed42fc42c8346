package io.arbiter.ledger;

import java.util.Optional;
import java.util.function.BiConsumer;

/** Reads the ledger's entries (the journal keeps them, one per record). */
public interface LedgerEntries {

  /** The exact stored bytes of entry {@code seq}, if it exists. */
  Optional<byte[]> entry(long seq);

  /** Every stored entry with {@code from <= seq < to}, in sequence order. */
  void forEach(long from, long to, BiConsumer<Long, byte[]> sink);
}
