package io.arbiter.graph;

/**
 * The store and its single writer, opened and closed together: the writer stops (draining what is
 * queued) before the store closes.
 */
public record GraphRuntime(ProvStore store, EventWriter writer) implements AutoCloseable {

  @Override
  public void close() {
    try {
      writer.close();
    } finally {
      store.close();
    }
  }
}
