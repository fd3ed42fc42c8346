package io.arbiter.graph.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.graph.store.Tdb2ProvStore;
import io.arbiter.graph.store.TestFuseki;
import io.arbiter.journal.JournalLedgerEntries;
import io.arbiter.ledger.CheckpointPublisher;
import io.arbiter.ledger.LedgerKeys;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline verifier over a data directory laid out as the server leaves it. */
class VerifyCommandTest {

  @TempDir Path data;

  private String run(int expectedStatus, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = VerifyCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(expectedStatus, status, text);
    return text;
  }

  @Test
  void verifiesAStoredLog_thenNamesATamperedBundle() throws Exception {
    String tampered;
    try (TestStore graph =
        new TestStore(
            Tdb2ProvStore.open(data.resolve("tdb2"), TestStore.IRIS), data.resolve("journal"))) {
      TestApp app = TestApp.demo(graph);
      app.decisions.submit(
          Fixtures.request(1000, 56000, 0.1, "approve", 0.9), "alice", Optional.empty());
      var key =
          LedgerKeys.load(
              Optional.empty(), data.resolve("keys/ledger.key"), "arbiter.test/id/ledger");
      new CheckpointPublisher(
              graph.tree,
              key,
              "arbiter.test/id/ledger",
              data.resolve("ledger/checkpoint"),
              new io.arbiter.ledger.TileStore(
                  data.resolve("ledger"), new JournalLedgerEntries(graph.journal)))
          .start();
      tampered = bundleOf(graph, 2);
      graph.settle();
    }
    String base = TestStore.IRIS.base();
    assertTrue(run(0, "--data-dir", data.toString(), "--base-iri", base).contains("OK"));

    var tdb = DatabaseMgr.connectDatasetGraph(data.resolve("tdb2").toString());
    Txn.executeWrite(
        tdb,
        () ->
            tdb.add(
                NodeFactory.createURI(tampered),
                NodeFactory.createURI("urn:x"),
                NodeFactory.createURI("urn:injected"),
                NodeFactory.createLiteralString("y")));
    org.apache.jena.tdb2.sys.TDBInternal.expel(tdb);
    String report = run(1, "--data-dir", data.toString(), "--base-iri", base);
    assertTrue(report.contains("FAULT BUNDLE_ALTERED seq=2 bundle=" + tampered), report);
    assertTrue(
        run(0, "--data-dir", data.toString(), "--base-iri", base, "--journal-only")
            .contains("OK: the journal matches the signed log"),
        "the journal itself is untouched");

    // A rebuild replaces the tampered store with one loaded from the journal, and keeps the old.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        RebuildCommand.run(
            new String[] {"--data-dir", data.toString(), "--base-iri", base},
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
    assertTrue(run(0, "--data-dir", data.toString(), "--base-iri", base).contains("OK"));
    try (var kept = Files.list(data)) {
      assertTrue(
          kept.anyMatch(p -> p.getFileName().toString().startsWith("tdb2.replaced-")),
          "the old store is kept");
    }
  }

  private static String bundleOf(TestStore graph, long sequence) {
    return io.arbiter.ledger.LedgerEntry.parse(graph.journal.read(sequence).orElseThrow().entry())
        .bundle();
  }

  @Test
  void verifiesALogKeptInFuseki_thenNamesABundleTamperedThere() throws Exception {
    try (TestFuseki fuseki = TestFuseki.tdb2()) {
      String tampered;
      try (TestStore graph = new TestStore(fuseki.connect(), data.resolve("journal"))) {
        TestApp app = TestApp.demo(graph);
        app.decisions.submit(
            Fixtures.request(1000, 56000, 0.1, "approve", 0.9), "alice", Optional.empty());
        var key =
            LedgerKeys.load(
                Optional.empty(), data.resolve("keys/ledger.key"), "arbiter.test/id/ledger");
        new CheckpointPublisher(
                graph.tree,
                key,
                "arbiter.test/id/ledger",
                data.resolve("ledger/checkpoint"),
                new io.arbiter.ledger.TileStore(
                    data.resolve("ledger"), new JournalLedgerEntries(graph.journal)))
            .start();
        tampered = bundleOf(graph, 2);
        graph.settle();
      }
      var endpoints = fuseki.endpoints();
      String[] args = {
        "--data-dir", data.toString(),
        "--base-iri", TestStore.IRIS.base(),
        "--sparql-query", endpoints.query(),
        "--sparql-update", endpoints.update(),
        "--sparql-gsp", endpoints.gsp()
      };
      assertTrue(run(0, args).contains("OK"));

      Txn.executeWrite(
          fuseki.dataset,
          () ->
              fuseki.dataset.add(
                  NodeFactory.createURI(tampered),
                  NodeFactory.createURI("urn:x"),
                  NodeFactory.createURI("urn:injected"),
                  NodeFactory.createLiteralString("y")));
      String report = run(1, args);
      assertTrue(report.contains("FAULT BUNDLE_ALTERED seq=2 bundle=" + tampered), report);
      assertTrue(
          run(2, "--data-dir", data.toString(), "--sparql-query", endpoints.query())
              .contains("go together"));
    }
  }

  @Test
  void usageErrors_exitWith2() throws Exception {
    assertTrue(run(2).contains("--data-dir is required"));
    assertTrue(run(2, "--data-dir", data.toString()).contains("usage error"));
    Files.createDirectories(data);
    assertTrue(run(2, "--bogus").contains("unknown option"));
  }
}
