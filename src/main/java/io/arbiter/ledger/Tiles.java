package io.arbiter.ledger;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The C2SP tlog-tiles layout: tiles of height 8 (256 hashes wide) and entry bundles of 256 entries.
 *
 * <ul>
 *   <li>{@code tile/<L>/<N>[.p/<W>]}: the hashes at tree level {@code 8·L}, positions {@code 256·N}
 *       to {@code 256·N + W - 1}, 32 bytes each; {@code .p/W} marks a partial tile of width {@code
 *       W} (1 to 255).
 *   <li>{@code tile/entries/<N>[.p/<W>]}: entries {@code 256·N} on, each as a big-endian uint16
 *       length and the entry's bytes.
 *   <li>{@code N} is written in groups of three digits, all but the last prefixed with {@code x}:
 *       {@code 1234067} is {@code x001/x234/067}.
 * </ul>
 */
public final class Tiles {

  public static final int HEIGHT = 8;
  public static final int WIDTH = 1 << HEIGHT;

  /**
   * The highest hash-tile level: a tree of at most 2^63 leaves has no complete subtree of 256^8 =
   * 2^64 leaves, and a shift by {@code 8·8} bits would wrap to a shift by 0 in Java.
   */
  public static final int MAX_LEVEL = (Long.SIZE - 1) / HEIGHT;

  /** At most this many groups of three digits: 7 hold every index a long can (19 digits). */
  private static final int MAX_GROUPS = 7;

  private static final Pattern PATH =
      Pattern.compile("tile/(entries|\\d{1,2})/((?:x\\d{3}/)*\\d{3})(?:\\.p/(\\d{1,3}))?");

  private Tiles() {}

  /** A tile or entry bundle: {@code level} is -1 for entry bundles. */
  public record Tile(int level, long index, int width) {

    public boolean entries() {
      return level < 0;
    }

    public boolean partial() {
      return width < WIDTH;
    }

    /** Whether a tree of {@code size} has everything this tile holds. */
    public boolean within(long size) {
      long units = units(level, size);
      // index · 256 would overflow beyond this, and no tree is that large
      return index <= (units - width) / WIDTH && index * WIDTH + width <= units;
    }

    public String path() {
      String base =
          "tile/" + (entries() ? "entries" : Integer.toString(level)) + "/" + encode(index);
      return partial() ? base + ".p/" + width : base;
    }
  }

  /**
   * How many hashes a tree of {@code size} has at a tile level: leaves (entries) for levels -1 and
   * 0, complete subtrees of {@code 256^level} leaves above.
   */
  static long units(int level, long size) {
    if (level <= 0) {
      return size;
    }
    return level > MAX_LEVEL ? 0 : size >>> (HEIGHT * level);
  }

  /** Parses a tile path; empty when it is not one. */
  public static Optional<Tile> parse(String path) {
    var m = PATH.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    int level = m.group(1).equals("entries") ? -1 : Integer.parseInt(m.group(1));
    String[] groups = m.group(2).split("/");
    if (groups.length > MAX_GROUPS) {
      return Optional.empty();
    }
    long index = 0;
    for (String group : groups) {
      long digits = Long.parseLong(group.startsWith("x") ? group.substring(1) : group);
      if (index > (Long.MAX_VALUE - digits) / 1000) {
        return Optional.empty();
      }
      index = index * 1000 + digits;
    }
    int width = m.group(3) == null ? WIDTH : Integer.parseInt(m.group(3));
    if (width < 1 || width > WIDTH || (m.group(3) != null && width == WIDTH) || level > MAX_LEVEL) {
      return Optional.empty();
    }
    Tile tile = new Tile(level, index, width);
    return tile.path().equals(path) ? Optional.of(tile) : Optional.empty();
  }

  static String encode(long index) {
    String digits = Long.toString(index);
    int pad = (3 - digits.length() % 3) % 3;
    digits = "0".repeat(pad) + digits;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < digits.length(); i += 3) {
      if (i > 0) {
        path.append('/');
      }
      if (i + 3 < digits.length()) {
        path.append('x');
      }
      path.append(digits, i, i + 3);
    }
    return path.toString();
  }

  /**
   * The tiles (entry bundles, and hash tiles of every level) that describe a tree of {@code size}.
   */
  public static List<Tile> forSize(long size) {
    List<Tile> tiles = new ArrayList<>();
    row(tiles, -1, size);
    for (int level = 0; level * HEIGHT < 64 && units(level, size) > 0; level++) {
      row(tiles, level, units(level, size));
    }
    return tiles;
  }

  private static void row(List<Tile> tiles, int level, long units) {
    for (long n = 0; n * WIDTH < units; n++) {
      tiles.add(new Tile(level, n, (int) Math.min(WIDTH, units - n * WIDTH)));
    }
  }

  /** A hash tile's bytes, from the tree's stored subtree hashes. */
  public static byte[] hashTile(MerkleTree tree, Tile tile) throws ProofException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(tile.width() * MerkleHashes.SIZE);
    int treeLevel = HEIGHT * tile.level();
    for (long i = 0; i < tile.width(); i++) {
      out.writeBytes(tree.levelHash(treeLevel, tile.index() * WIDTH + i));
    }
    return out.toByteArray();
  }

  /** An entry bundle's bytes: each entry as a big-endian uint16 length and its bytes. */
  public static byte[] entryBundle(List<byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] entry : entries) {
      if (entry.length > 0xFFFF) {
        throw new IllegalArgumentException("an entry is at most 65535 bytes");
      }
      out.write(entry.length >>> 8);
      out.write(entry.length & 0xFF);
      out.writeBytes(entry);
    }
    return out.toByteArray();
  }
}
