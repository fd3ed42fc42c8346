package io.arbiter.ledger;

import java.util.Optional;

/** Reads stored ledger entries (the graph store keeps them beside the bundles). */
public interface LedgerEntries {

  /** The exact stored bytes of entry {@code seq}, if it exists. */
  Optional<byte[]> entry(long seq);
}
