package io.arbiter.testing;

import io.arbiter.event.IriScheme;
import io.arbiter.graph.EventWriter;
import io.arbiter.graph.ProvMapper;
import io.arbiter.graph.Tdb2ProvStore;
import io.arbiter.ledger.MerkleTree;
import java.nio.file.Path;

/**
 * A real TDB2 store in a temporary folder with its single writer, as the application wires them.
 */
public final class TestStore implements AutoCloseable {

  public static final IriScheme IRIS = new IriScheme("http://arbiter.test/id/");

  public final Path directory;
  public final Tdb2ProvStore store;
  public final EventWriter writer;
  public final MerkleTree tree;

  public TestStore(Path directory) {
    this(directory, 64);
  }

  public TestStore(Path directory, int maxBatch) {
    this(directory, maxBatch, io.arbiter.graph.CompactionPolicy.never());
  }

  public TestStore(Path directory, int maxBatch, io.arbiter.graph.CompactionPolicy compaction) {
    this.directory = directory;
    this.store = Tdb2ProvStore.open(directory, IRIS);
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
