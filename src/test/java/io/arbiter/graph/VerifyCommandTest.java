package io.arbiter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    try (TestStore graph = new TestStore(data.resolve("tdb2"))) {
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
                  data.resolve("ledger"), new ProvLedgerEntries(graph.store)))
          .start();
    }
    String base = TestStore.IRIS.base();
    assertTrue(run(0, "--data-dir", data.toString(), "--base-iri", base).contains("OK"));

    var tdb = DatabaseMgr.connectDatasetGraph(data.resolve("tdb2").toString());
    Txn.executeWrite(
        tdb,
        () ->
            tdb.add(
                NodeFactory.createURI(TestStore.IRIS.bundle(2)),
                NodeFactory.createURI("urn:x"),
                NodeFactory.createURI("urn:injected"),
                NodeFactory.createLiteralString("y")));
    org.apache.jena.tdb2.sys.TDBInternal.expel(tdb);
    String report = run(1, "--data-dir", data.toString(), "--base-iri", base);
    assertTrue(
        report.contains("FAULT BUNDLE_ALTERED seq=2 bundle=" + TestStore.IRIS.bundle(2)), report);
  }

  @Test
  void verifiesALogKeptInFuseki_thenNamesABundleTamperedThere() throws Exception {
    try (TestFuseki fuseki = TestFuseki.tdb2()) {
      try (TestStore graph = new TestStore(fuseki.connect())) {
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
                    data.resolve("ledger"), new ProvLedgerEntries(graph.store)))
            .start();
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
                  NodeFactory.createURI(TestStore.IRIS.bundle(2)),
                  NodeFactory.createURI("urn:x"),
                  NodeFactory.createURI("urn:injected"),
                  NodeFactory.createLiteralString("y")));
      String report = run(1, args);
      assertTrue(
          report.contains("FAULT BUNDLE_ALTERED seq=2 bundle=" + TestStore.IRIS.bundle(2)), report);
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
