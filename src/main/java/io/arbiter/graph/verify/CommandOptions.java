package io.arbiter.graph.verify;

import io.arbiter.ledger.NoteException;
import io.arbiter.ledger.NoteKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the offline commands ({@link VerifyCommand}, {@link RebuildCommand}) are told, read the same
 * way for both: the data directory, the base IRI, the trusted key and the checkpoints (by default
 * the data directory's own), and the options only one of them takes.
 *
 * @param verifierKey given, or derived from {@code DIR/keys/ledger.key}
 * @param latest the latest checkpoint note, from {@code --checkpoint} or {@code
 *     DIR/ledger/checkpoint}
 * @param earlier older checkpoint notes ({@code --earlier}, repeatable)
 * @param sparql query, update and GSP endpoints of a SPARQL store, or nulls
 */
record CommandOptions(
    Path dataDir,
    String base,
    String verifierKey,
    String latest,
    List<String> earlier,
    boolean journalOnly,
    String[] sparql) {

  /**
   * @param extra the options beyond {@code --data-dir --base-iri --verifier-key --checkpoint} this
   *     command takes
   * @throws IllegalArgumentException naming what is wrong or missing
   */
  static CommandOptions parse(String[] args, Set<String> extra) throws IOException, NoteException {
    Path dataDir = null;
    String base = "http://localhost:9080/id/";
    String verifierKey = null;
    Path checkpoint = null;
    boolean journalOnly = false;
    List<Path> earlier = new ArrayList<>();
    String[] sparql = new String[3];
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.startsWith("--")
          && !Set.of("--data-dir", "--base-iri", "--verifier-key", "--checkpoint").contains(option)
          && !extra.contains(option)) {
        throw new IllegalArgumentException("unknown option " + option);
      }
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (option) {
        case "--data-dir" -> dataDir = Path.of(require(value, args[i++]));
        case "--base-iri" -> base = require(value, args[i++]);
        case "--verifier-key" -> verifierKey = require(value, args[i++]);
        case "--checkpoint" -> checkpoint = Path.of(require(value, args[i++]));
        case "--earlier" -> earlier.add(Path.of(require(value, args[i++])));
        case "--journal-only" -> journalOnly = true;
        case "--sparql-query" -> sparql[0] = require(value, args[i++]);
        case "--sparql-update" -> sparql[1] = require(value, args[i++]);
        case "--sparql-gsp" -> sparql[2] = require(value, args[i++]);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("--data-dir is required");
    }
    if (verifierKey == null) {
      verifierKey = NoteKey.parsePrivate(read(dataDir.resolve("keys/ledger.key"))).verifierKey();
    }
    String latest = read(checkpoint == null ? dataDir.resolve("ledger/checkpoint") : checkpoint);
    List<String> older = new ArrayList<>();
    for (Path file : earlier) {
      older.add(read(file));
    }
    return new CommandOptions(
        dataDir, base, verifierKey, latest, List.copyOf(older), journalOnly, sparql);
  }

  private static String require(String value, String option) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
