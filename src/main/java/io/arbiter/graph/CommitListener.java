package io.arbiter.graph;

/**
 * Hears every batch the {@link EventWriter} made durable. Called on the writer thread after the
 * batch's callers were answered, so it can neither fail nor delay them; but the next batch waits
 * for it, so it must be quick (update a metric, no I/O). Primitive arguments: nothing is allocated
 * per batch for it.
 */
@FunctionalInterface
public interface CommitListener {

  /**
   * @param events events stored in the batch (at least one)
   * @param nanos how long the store transaction took, from its start to its durable commit
   */
  void committed(int events, long nanos);
}
