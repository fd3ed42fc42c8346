package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.apache.jena.dboe.base.file.Location;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.params.StoreParams;
import org.apache.jena.tdb2.params.StoreParamsBuilder;
import org.apache.jena.tdb2.store.DatasetGraphTDB;
import org.apache.jena.tdb2.sys.StoreConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generation's quad indexes written again packed hold the same quads, every index answers the
 * same, every block is full (the loader left a third to a half of each empty), and the store takes
 * inserts after.
 */
class PackedIndexesTest {

  @TempDir Path dir;

  private static final StoreParams LAYOUT =
      StoreParamsBuilder.create(StoreParams.getDftStoreParams())
          .quadIndexes(Tdb2ProvStore.QUAD_INDEXES.toArray(String[]::new))
          .build();

  private static DatasetGraphTDB open(Path generation) {
    return StoreConnection.connectCreate(Location.create(generation), LAYOUT, null)
        .getDatasetGraphTDB();
  }

  private static void close(Path generation) {
    StoreConnection.internalExpel(Location.create(generation), true);
  }

  private static Node iri(String path) {
    return NodeFactory.createURI("http://example.org/" + path);
  }

  /** Bundles of 20 quads each, as the bulk loader fills a compaction's generation. */
  private static Set<Quad> fill(DatasetGraphTDB dataset, int bundles) {
    Set<Quad> quads = new HashSet<>();
    for (int b = 0; b < bundles; b++) {
      Node graph = iri("bundles/" + b);
      for (int i = 0; i < 20; i++) {
        quads.add(
            Quad.create(
                graph,
                iri("d/" + b),
                iri("p/" + i),
                NodeFactory.createLiteralString("v" + b * 20 + i)));
      }
    }
    var loader = org.apache.jena.tdb2.loader.LoaderFactory.basicLoader(dataset, (f, a) -> {});
    loader.startBulk();
    var sink = loader.stream();
    quads.forEach(sink::quad);
    loader.finishBulk();
    return quads;
  }

  private static long blocks(DatasetGraphTDB dataset, String index) {
    return Txn.calculateRead(
        dataset,
        () -> PackedIndexes.tree(dataset, index).getRecordsMgr().getBlockMgr().allocLimit());
  }

  private static Set<Quad> found(DatasetGraphTDB dataset, Quad pattern) {
    return Txn.calculateRead(
        dataset,
        () -> {
          Set<Quad> all = new HashSet<>();
          dataset
              .find(
                  pattern.getGraph(),
                  pattern.getSubject(),
                  pattern.getPredicate(),
                  pattern.getObject())
              .forEachRemaining(all::add);
          return all;
        });
  }

  @Test
  void packedIndexesHoldTheSameQuadsInFullBlocks() throws Exception {
    Path generation = dir.resolve("Data-0002-tmp");
    Files.createDirectories(generation);
    DatasetGraphTDB loaded = open(generation);
    Set<Quad> quads = fill(loaded, 3000);
    Quad one = quads.iterator().next();
    long before = blocks(loaded, "GSPO");
    close(generation);

    PackedIndexes.repack(generation, LAYOUT, () -> {});

    assertFalse(Files.exists(PackedIndexes.workDirectory(generation)));
    DatasetGraphTDB packed = open(generation);
    Node any = Node.ANY;
    assertEquals(quads, found(packed, Quad.create(any, any, any, any)));
    // Each bound position goes through another index: all four must hold the quad.
    assertEquals(
        Set.of(one),
        found(
            packed,
            Quad.create(one.getGraph(), one.getSubject(), one.getPredicate(), one.getObject())));
    assertEquals(Set.of(one), found(packed, Quad.create(any, any, any, one.getObject())));
    assertEquals(20, found(packed, Quad.create(any, one.getSubject(), any, any)).size());
    assertEquals(3000, found(packed, Quad.create(any, any, one.getPredicate(), any)).size());
    // 60,000 records of four 8-byte node ids fill 235 blocks of 8 KB at the least.
    long least = quads.size() * 32L / 8192 + 1;
    for (String index : List.of("GSPO", "SPOG", "POSG", "OSPG")) {
      long after = blocks(packed, index);
      assertTrue(
          after <= least * 105 / 100 && after * 4 < before * 3,
          index
              + ": "
              + after
              + " blocks packed, "
              + before
              + " loaded, "
              + least
              + " at the least");
    }

    Quad added = Quad.create(iri("bundles/new"), iri("d/new"), one.getPredicate(), one.getObject());
    Txn.executeWrite(packed, () -> packed.add(added));
    assertEquals(3001, found(packed, Quad.create(any, any, one.getPredicate(), any)).size());
    close(generation);
    assertEquals(quads.size() + 1, found(open(generation), Quad.create(any, any, any, any)).size());
    close(generation);
  }

  @Test
  void aCancelledRepackLeavesTheGenerationAsItWas() throws Exception {
    Path generation = dir.resolve("Data-0002-tmp");
    Files.createDirectories(generation);
    Set<Quad> quads = fill(open(generation), 6000); // 120,000 quads: one checkpoint per index
    close(generation);

    assertThrows(
        CancellationException.class,
        () ->
            PackedIndexes.repack(
                generation,
                LAYOUT,
                () -> {
                  throw new CancellationException("stopping");
                }));

    assertFalse(Files.exists(PackedIndexes.workDirectory(generation)));
    assertEquals(
        quads, found(open(generation), Quad.create(Node.ANY, Node.ANY, Node.ANY, Node.ANY)));
    close(generation);
  }
}
