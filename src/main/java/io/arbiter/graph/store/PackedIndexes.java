package io.arbiter.graph.store;

import io.arbiter.config.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.jena.dboe.base.file.Location;
import org.apache.jena.dboe.trans.bplustree.BPlusTree;
import org.apache.jena.dboe.trans.bplustree.rewriter.BPlusTreeRewriter;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.loader.base.CoLib;
import org.apache.jena.tdb2.params.StoreParams;
import org.apache.jena.tdb2.store.DatasetGraphTDB;
import org.apache.jena.tdb2.store.tupletable.TupleIndexRecord;
import org.apache.jena.tdb2.sys.StoreConnection;
import org.apache.jena.tdb2.sys.TDBInternal;

/**
 * Rewrites the quad indexes of a closed TDB2 generation as full B+trees.
 *
 * <p>TDB2 splits a full block in the middle, so a B+tree filled in key order — as the bulk loader
 * fills each index of a new generation — ends with every leaf half empty: a compacted store was
 * twice the size of its quads (28.8 KB per decision at 100,000, of which 25 KB indexes). Jena's
 * {@link BPlusTreeRewriter}, which its xloader uses, writes a tree bottom up from records in key
 * order with every block full. An index of the generation already holds its records in that order,
 * so each index is read in order and written packed into a copy of the generation whose node table
 * is the same files (node ids stay valid); the copy then replaces the generation. Later inserts
 * split full leaves as usual.
 */
final class PackedIndexes {

  private static final List<String> INDEX_FILES = List.of(".dat", ".idn", ".bpt");
  private static final int CHECK_EVERY = 100_000;

  private PackedIndexes() {}

  /** Where {@link #repack} builds the copy of {@code generation}. */
  static Path workDirectory(Path generation) {
    return generation.resolveSibling(generation.getFileName() + "-packed");
  }

  /**
   * Rewrites the quad indexes of the TDB2 database in {@code generation}, which nothing may have
   * open and nothing uses yet (between the copy's deletion and the rename a crash leaves no
   * generation there: compaction's copy, which is abandoned then anyway), with every block full. On
   * failure the generation is as it was and the copy is gone.
   *
   * @param checkpoint run every {@value #CHECK_EVERY} records, e.g. to throw when cancelled
   */
  static void repack(Path generation, StoreParams layout, Runnable checkpoint) throws IOException {
    Path packed = workDirectory(generation);
    DurableFiles.deleteTree(packed);
    Files.createDirectories(packed);
    Set<String> rewritten = new HashSet<>();
    for (String index : layout.getQuadIndexes()) {
      INDEX_FILES.forEach(suffix -> rewritten.add(index + suffix));
    }
    try {
      try (Stream<Path> files = Files.list(generation)) {
        for (Path file : files.toList()) {
          String name = file.getFileName().toString();
          if (!rewritten.contains(name) && !name.equals("tdb.lock")) {
            Files.copy(file, packed.resolve(name));
          }
        }
      }
      Location from = Location.create(generation);
      Location to = Location.create(packed);
      DatasetGraphTDB source =
          StoreConnection.connectCreate(from, layout, null).getDatasetGraphTDB();
      DatasetGraphTDB target = StoreConnection.connectCreate(to, layout, null).getDatasetGraphTDB();
      try {
        for (String index : layout.getQuadIndexes()) {
          BPlusTree in = tree(source, index);
          BPlusTree out = tree(target, index);
          Txn.executeRead(
              source,
              () ->
                  // A transaction on the one index, as Jena's loaders write indexes.
                  CoLib.executeWrite(
                      TDBInternal.findIndex(target, index),
                      () ->
                          BPlusTreeRewriter.packIntoBPlusTree(
                              checked(in.iterator(), checkpoint),
                              out.getParams(),
                              out.getRecordFactory(),
                              out.getStateManager().getBufferChannel(),
                              out.getNodeManager().getBlockMgr(),
                              out.getRecordsMgr().getBlockMgr())));
        }
      } finally {
        StoreConnection.internalExpel(from, true);
        StoreConnection.internalExpel(to, true);
      }
    } catch (IOException | RuntimeException e) {
      DurableFiles.deleteTree(packed);
      throw e;
    }
    // The copied files were never flushed; once the generation is deleted they are all there is.
    DurableFiles.forceFiles(packed);
    DurableFiles.deleteTree(generation);
    DurableFiles.moveDirectory(packed, generation);
  }

  private static <T> Iterator<T> checked(Iterator<T> records, Runnable checkpoint) {
    return new Iterator<>() {
      private long read;

      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public T next() {
        if (++read % CHECK_EVERY == 0) {
          checkpoint.run();
        }
        return records.next();
      }
    };
  }

  static BPlusTree tree(DatasetGraphTDB dataset, String index) {
    return (BPlusTree) ((TupleIndexRecord) TDBInternal.findIndex(dataset, index)).getRangeIndex();
  }
}
