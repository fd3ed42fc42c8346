package io.arbiter.ledger;

import java.util.Optional;
import java.util.function.BiConsumer;

/** Reads the ledger's entries (the journal keeps them, one per record). */
public interface LedgerEntries {

  /** The exact stored bytes of entry {@code seq}, if it exists. */
  Optional<byte[]> entry(long seq);

  /**
   * How many entries can be read now. The tree may be a few leaves ahead of it for a moment: it
   * grows before the journal makes a batch readable, so a checkpoint covers at most this many.
   */
  long size();

  /** Every stored entry with {@code from <= seq < to}, in sequence order. */
  void forEach(long from, long to, BiConsumer<Long, byte[]> sink);
}
