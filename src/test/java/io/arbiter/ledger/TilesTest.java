package io.arbiter.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.ledger.Tiles.Tile;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TilesTest {

  @Test
  void paths_followTheC2spLayout_andParseBack() {
    assertEquals("tile/0/000", new Tile(0, 0, 256).path());
    assertEquals("tile/1/x001/x234/067", new Tile(1, 1234067, 256).path());
    assertEquals("tile/entries/x001/000.p/7", new Tile(-1, 1000, 7).path());
    for (String path :
        List.of("tile/0/000", "tile/3/x001/x234/067.p/255", "tile/entries/123.p/1")) {
      assertEquals(path, Tiles.parse(path).orElseThrow().path());
    }
    for (String bad :
        List.of(
            "tile/0/0",
            "tile/0/x000",
            "tile/0/000.p/256",
            "tile/0/000.p/0",
            "tile/0/001/234",
            "tile/-1/000",
            "tile/0/000/../../etc",
            "tile/entries/0001")) {
      assertEquals(Optional.empty(), Tiles.parse(bad), bad);
    }
  }

  @Test
  void parse_levelOrIndexBeyondAnyTree_isNoTile() {
    // 8 · 8 = 64: a shift by 64 bits is a shift by 0 in Java, which once served level 8 as level 0
    assertEquals(Optional.empty(), Tiles.parse("tile/8/000.p/1"));
    assertEquals(Optional.empty(), Tiles.parse("tile/63/000"));
    assertTrue(Tiles.parse("tile/7/000.p/1").isPresent());
    // 22 digits overflow a long; eight groups are more than any index needs
    assertEquals(Optional.empty(), Tiles.parse("tile/0/x009/x999/x999/x999/x999/x999/x999/999"));
    assertEquals(Optional.empty(), Tiles.parse("tile/0/x009/x223/x372/x036/x854/x775/999"));
  }

  @Test
  void within_hugeIndex_isFalseRatherThanOverflowing() {
    assertFalse(new Tile(0, Long.MAX_VALUE / 2, 256).within(Long.MAX_VALUE));
    assertFalse(new Tile(7, 0, 1).within(1L << 55), "no complete 2^56-leaf subtree");
    assertTrue(new Tile(7, 0, 1).within(1L << 56));
    assertTrue(new Tile(0, 0, 7).within(7));
    assertFalse(new Tile(0, 0, 7).within(6));
  }

  @Test
  void forSize_listsEntryBundlesAndEveryLevel() {
    List<String> paths = Tiles.forSize(70_000).stream().map(Tile::path).toList();
    assertTrue(paths.contains("tile/entries/273.p/112"), paths.toString());
    assertTrue(paths.contains("tile/0/273.p/112"));
    assertTrue(paths.contains("tile/0/272"));
    assertTrue(paths.contains("tile/1/001.p/17"), "70000 >> 8 = 273 complete level-8 subtrees");
    assertTrue(paths.contains("tile/2/000.p/1"), "one complete level-16 subtree");
    assertEquals(274 + 274 + 2 + 1, paths.size());
  }

  @Test
  void hashTiles_holdTheSubtreeHashesOfTheirLevel() throws Exception {
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < 256 * 256 + 300; i++) {
      tree.append(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)});
    }
    byte[] level0 = Tiles.hashTile(tree, new Tile(0, 1, 256));
    assertArrayEquals(tree.leafHash(256), Arrays.copyOfRange(level0, 0, 32));
    byte[] level1 = Tiles.hashTile(tree, new Tile(1, 0, 256));
    assertArrayEquals(
        tree.root(256), Arrays.copyOfRange(level1, 0, 32), "the first subtree of 256 leaves");
    byte[] level2 = Tiles.hashTile(tree, new Tile(2, 0, 1));
    assertArrayEquals(tree.root(65536), level2);
  }

  @Test
  void entryBundles_areUint16LengthPrefixed() {
    assertArrayEquals(
        new byte[] {0, 2, 'a', 'b', 0, 0, 0, 1, 'c'},
        Tiles.entryBundle(List.of("ab".getBytes(), new byte[0], "c".getBytes())));
  }
}
