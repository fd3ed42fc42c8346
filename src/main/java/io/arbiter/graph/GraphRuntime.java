package io.arbiter.graph;

import io.arbiter.ledger.MerkleTree;

/**
 * The store, its single writer and the ledger's Merkle tree, opened and closed together: the writer
 * stops (draining what is queued) before the store closes.
 */
public record GraphRuntime(ProvStore store, EventWriter writer, MerkleTree tree)
    implements AutoCloseable {

  @Override
  public void close() {
    try {
      writer.close();
    } finally {
      store.close();
    }
  }
}
