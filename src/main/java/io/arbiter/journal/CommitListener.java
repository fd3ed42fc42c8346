package io.arbiter.journal;

/**
 * Hears every batch made durable, with its size and how long it took: the journal's group commits
 * (write and force), and the projector's store transactions. Called after the batch's callers were
 * answered, on the thread that wrote it, so the next batch waits for it: update a metric, no I/O.
 * Primitive arguments: nothing is allocated per batch for it.
 */
@FunctionalInterface
public interface CommitListener {

  /**
   * @param records records in the batch (at least one)
   * @param nanos how long the batch took, from its start to its durable commit
   */
  void committed(int records, long nanos);
}
