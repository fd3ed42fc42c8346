package io.arbiter.ledger;

import io.arbiter.config.DurableFiles;
import io.arbiter.ledger.Tiles.Tile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The log as C2SP tlog-tiles files under {@code <data-dir>/ledger/tile/...}, so they can also be
 * served as static files or mirrored. Tiles are derived data: after a crash, missing ones are
 * written again from the tree and the stored entries. Full tiles never change; the partial tiles of
 * the latest checkpoint are replaced as the log grows.
 */
public final class TileStore {

  private final Path root;
  private final LedgerEntries entries;

  /** The size this process last synced tiles for: its full tiles are known to be on disk. */
  private long synced;

  /**
   * @param root the directory that holds {@code tile/}
   */
  public TileStore(Path root, LedgerEntries entries) {
    this.root = root;
    this.entries = entries;
  }

  /**
   * Writes every tile of a tree of {@code size} that is not on disk yet. The first call in a
   * process looks at every full tile (rebuilding what a crash or an operator removed); later calls
   * only at the tiles the tree grew into since.
   */
  public synchronized void sync(MerkleTree tree, long size) {
    try {
      for (Tile tile : Tiles.forSize(size)) {
        if (tile.within(synced) && (!tile.partial() || size == synced)) {
          continue;
        }
        Path file = root.resolve(tile.path());
        if (!tile.partial() && Files.exists(file)) {
          continue;
        }
        write(file, content(tree, tile));
      }
      synced = size;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tiles under " + root, e);
    }
  }

  /**
   * The largest size a checkpoint may cover now: the tree's, but no more than the entries readable
   * (the tree hears of a batch before the journal makes it readable, and an entry tile can only be
   * written from entries that can be read).
   */
  public long signable(MerkleTree tree) {
    return Math.min(tree.size(), entries.size());
  }

  /** The bytes of a tile, computed from the tree and the stored entries (never read from disk). */
  public byte[] content(MerkleTree tree, Tile tile) {
    try {
      if (!tile.entries()) {
        return Tiles.hashTile(tree, tile);
      }
      List<byte[]> bundle = new ArrayList<>(tile.width());
      long first = tile.index() * Tiles.WIDTH;
      entries.forEach(first, first + tile.width(), (seq, bytes) -> bundle.add(bytes));
      if (bundle.size() != tile.width()) {
        throw new ProofException(
            ProofException.Kind.INDEX_BEYOND_SIZE, "the log has no entries for " + tile.path());
      }
      return Tiles.entryBundle(bundle);
    } catch (ProofException e) {
      throw new IllegalArgumentException(tile.path() + " is beyond the log", e);
    }
  }

  /**
   * Paths of stored tiles, within a tree of {@code size}, whose bytes differ from what the log
   * says.
   */
  public List<String> altered(MerkleTree tree, long size) {
    List<String> altered = new ArrayList<>();
    for (Tile tile : Tiles.forSize(size)) {
      Path file = root.resolve(tile.path());
      try {
        if (Files.exists(file) && !Arrays.equals(Files.readAllBytes(file), content(tree, tile))) {
          altered.add(tile.path());
        }
      } catch (IOException e) {
        altered.add(tile.path());
      }
    }
    return altered;
  }

  private static void write(Path file, byte[] content) throws IOException {
    // Durable, not only atomic: a checkpoint published after this must not point at a tile that a
    // power loss turned empty.
    DurableFiles.replace(file, content);
  }
}
