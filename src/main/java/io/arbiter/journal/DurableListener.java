package io.arbiter.journal;

/**
 * Hears each record once it is durable, in sequence order, on the journal's sequencer thread: after
 * the force and before the record's caller is answered or a reader can see it. It must be quick (no
 * I/O) and must not throw; the Merkle tree grows here, so its leaves follow the journal's order.
 */
@FunctionalInterface
public interface DurableListener {

  void durable(long sequence, Draft draft, byte[] entry);
}
