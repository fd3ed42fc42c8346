package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.jena.atlas.lib.tuple.Tuple;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.store.DatasetGraphTDB;
import org.apache.jena.tdb2.store.NodeId;
import org.apache.jena.tdb2.store.nodetable.NodeTable;
import org.apache.jena.tdb2.sys.TDBInternal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node data file read through a window decodes every node of a real store as TDB2's own table
 * does: with a window far smaller than a bundle (nodes cut at its end, nodes larger than it, nodes
 * behind it) as with the window the verifier uses.
 */
class NodeFileReaderTest {

  @TempDir Path dir;

  @Test
  void everyNodeOfTheStore_decodesAsTdb2DecodesIt_whateverTheWindow() throws Exception {
    try (TestStore store = new TestStore(dir.resolve("tdb2"))) {
      TestApp app = TestApp.demo(store, false);
      for (int i = 0; i < 12; i++) {
        app.decisions.submit(
            Fixtures.request(
                40_000 + i, 56_000, 0.1 * (i % 5), i % 3 == 0 ? "reject" : "approve", 0.9),
            "integrator",
            Optional.empty());
      }
      store.settle();
    }
    var dsg = DatabaseMgr.connectDatasetGraph(dir.resolve("tdb2").toString());
    Txn.executeRead(
        dsg,
        () -> {
          DatasetGraphTDB generation = TDBInternal.getDatasetGraphTDB(dsg);
          NodeTable table = generation.getQuadTable().getNodeTupleTable().getNodeTable();
          List<NodeId> ids = new ArrayList<>();
          generation
              .getQuadTable()
              .getNodeTupleTable()
              .getTupleTable()
              .selectIndex("GSPO")
              .all()
              .forEachRemaining((Tuple<NodeId> quad) -> quad.forEach(ids::add));
          assertTrue(ids.size() > 500, "a store of some size: " + ids.size());
          Path data = Path.of(generation.getLocation().getDirectoryPath());
          for (int window : new int[] {64, 4096, NodeFileReader.WINDOW}) {
            try (NodeFileReader reader = NodeFileReader.open(table, data, window)) {
              for (NodeId id : ids) {
                assertEquals(table.getNodeForNodeId(id), reader.node(id), "window " + window);
              }
              assertTrue(reader.fromFile() > 0, "window " + window + " read the file");
            }
          }
        });
  }
}
