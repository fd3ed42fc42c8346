package io.arbiter.testing;

import io.arbiter.event.IriScheme;
import io.arbiter.graph.EventWriter;
import io.arbiter.graph.ProvMapper;
import io.arbiter.graph.ProvStore;
import io.arbiter.graph.Tdb2ProvStore;
import io.arbiter.ledger.MerkleTree;
import java.nio.file.Path;

/**
 * A real store with its single writer, as the application wires them: TDB2 in a temporary folder,
 * or any other {@link ProvStore} handed in (a Fuseki over HTTP, for one).
 */
public final class TestStore implements AutoCloseable {

  public static final IriScheme IRIS = new IriScheme("http://arbiter.test/id/");

  /** The TDB2 folder, or null for a store handed in. */
  public final Path directory;

  public final ProvStore store;
  public final EventWriter writer;
  public final MerkleTree tree;

  public TestStore(Path directory) {
    this(directory, 64);
  }

  public TestStore(Path directory, int maxBatch) {
    this(directory, maxBatch, io.arbiter.graph.CompactionPolicy.never());
  }

  public TestStore(Path directory, int maxBatch, io.arbiter.graph.CompactionPolicy compaction) {
    this(directory, Tdb2ProvStore.open(directory, IRIS), maxBatch, compaction);
  }

  /** Over {@code store} (written under {@link #IRIS}), which {@link #close} closes. */
  public TestStore(ProvStore store) {
    this(null, store, 64, io.arbiter.graph.CompactionPolicy.never());
  }

  private TestStore(
      Path directory, ProvStore store, int maxBatch, io.arbiter.graph.CompactionPolicy compaction) {
    this.directory = directory;
    this.store = store;
    this.tree = new MerkleTree();
    this.writer =
        new EventWriter(
            store, tree, new ProvMapper(IRIS), IRIS, maxBatch, 10_000, compaction, Thread::new);
    writer.start();
  }

  @Override
  public void close() {
    writer.close();
    store.close();
  }
}
