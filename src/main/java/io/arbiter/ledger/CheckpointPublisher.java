package io.arbiter.ledger;

import io.arbiter.config.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Signs a new checkpoint whenever the tree has grown, and keeps the latest one on disk, replaced
 * durably ({@link DurableFiles}): a crash or power loss leaves the old one or the new one, never
 * half, and a checkpoint reported as published is on disk.
 *
 * <p>At start-up the stored checkpoint must still hold: signed by our key, and the tree rebuilt
 * from the store must extend it (same root at its size). Otherwise the ledger was truncated or
 * altered, and Arbiter refuses to start rather than sign over it.
 */
public final class CheckpointPublisher {

  private static final Logger LOG = Logger.getLogger(CheckpointPublisher.class.getName());

  private final MerkleTree tree;
  private final NoteKey key;
  private final String origin;
  private final Path file;
  private final TileStore tiles;
  private volatile String latestNote;
  private volatile Checkpoint latest;

  /** Why the last attempt to sign or store a checkpoint failed; null after a success. */
  private volatile String failure;

  /**
   * @param file where the latest checkpoint note is kept
   * @param tiles where the log's tiles are written before each checkpoint that covers them
   */
  public CheckpointPublisher(
      MerkleTree tree, NoteKey key, String origin, Path file, TileStore tiles) {
    this.tree = tree;
    this.tiles = tiles;
    this.key = key;
    this.origin = origin;
    this.file = file;
  }

  /** Checks the stored checkpoint against the tree, then publishes one for the current size. */
  public synchronized void start() {
    if (Files.exists(file)) {
      try {
        String note = Files.readString(file, StandardCharsets.UTF_8);
        Checkpoint stored = Checkpoint.parse(NoteVerifier.parse(key.verifierKey()).verify(note));
        if (!stored.origin().equals(origin)) {
          throw new IllegalStateException(
              "the stored checkpoint is for origin " + stored.origin() + ", not " + origin);
        }
        if (stored.size() > tiles.signable(tree)
            || !MessageDigest.isEqual(stored.root(), tree.root(stored.size()))) {
          throw new IllegalStateException(
              "the ledger does not extend its last checkpoint (size "
                  + stored.size()
                  + "): it was truncated or altered; run the verifier");
        }
        latest = stored;
        latestNote = note;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      } catch (NoteException | ProofException e) {
        throw new IllegalStateException(
            "the stored checkpoint " + file + " is not valid: " + e.getMessage(), e);
      }
    }
    // Tiles are derived: write again whatever a crash or an operator removed.
    tiles.sync(tree, tiles.signable(tree));
    publish();
  }

  /**
   * Signs and stores a checkpoint if the log grew since the last one; returns whether it did. It
   * covers what the journal has made readable, which the tree may be ahead of by a batch.
   */
  public synchronized boolean publish() {
    long size = tiles.signable(tree);
    if (latest != null && latest.size() >= size) {
      return false;
    }
    try {
      // Tiles first: a published checkpoint must never point at tiles that do not exist yet.
      tiles.sync(tree, size);
      Checkpoint next = new Checkpoint(origin, size, tree.root(size));
      String note = key.sign(next.body());
      DurableFiles.replace(file, note.getBytes(StandardCharsets.UTF_8));
      latest = next;
      latestNote = note;
      failure = null;
      return true;
    } catch (IOException | UncheckedIOException e) {
      failure = "cannot store the checkpoint or its tiles: " + e.getMessage();
      LOG.severe("cannot store the checkpoint or its tiles under " + file.getParent() + ": " + e);
      return false;
    } catch (NoteException | ProofException | RuntimeException e) {
      failure = "cannot sign a checkpoint: " + e.getMessage();
      throw new IllegalStateException("cannot sign a checkpoint", e);
    }
  }

  /**
   * Why the signer is not working, if it is not: its last attempt failed (and nothing since
   * succeeded). Entries still commit meanwhile, but no checkpoint proves them.
   */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** The latest signed checkpoint note, as served at {@code /ledger/checkpoint}. */
  public Optional<String> latestNote() {
    return Optional.ofNullable(latestNote);
  }

  public Optional<Checkpoint> latest() {
    return Optional.ofNullable(latest);
  }

  public String origin() {
    return origin;
  }

  public NoteKey key() {
    return key;
  }

  public TileStore tiles() {
    return tiles;
  }
}
