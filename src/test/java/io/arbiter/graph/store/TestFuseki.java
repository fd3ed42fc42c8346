package io.arbiter.graph.store;

import io.arbiter.testing.TestStore;
import java.util.Optional;
import org.apache.jena.fuseki.main.FusekiServer;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.TDB2;

/**
 * A real Apache Jena Fuseki on a free loopback port, serving one dataset at {@code /arbiter} with
 * the query, update and Graph Store Protocol endpoints, as a production Fuseki would. Public for
 * the benchmarks (src/bench), which compare the stores.
 */
public final class TestFuseki implements AutoCloseable {

  public final FusekiServer server;
  public final DatasetGraph dataset;

  private TestFuseki(DatasetGraph dataset) {
    this(dataset, FusekiServer.create());
  }

  private TestFuseki(DatasetGraph dataset, FusekiServer.Builder builder) {
    this(dataset, builder, 0);
  }

  private TestFuseki(DatasetGraph dataset, FusekiServer.Builder builder, int port) {
    this.dataset = dataset;
    this.server = builder.loopback(true).port(port).add("/arbiter", dataset).build().start();
  }

  /**
   * The same dataset served again on the same port after {@link #close}: a Fuseki that was down for
   * a while and came back, as Arbiter sees it.
   */
  public TestFuseki restart() {
    return new TestFuseki(dataset, FusekiServer.create(), server.getHttpPort());
  }

  /**
   * As {@link #tdb2()}, but every request needs HTTP basic authentication as {@code user} with
   * {@code password} (the password file goes to {@code directory}).
   */
  public static TestFuseki tdb2WithBasicAuth(
      java.nio.file.Path directory, String user, String password) throws java.io.IOException {
    java.nio.file.Path passwords = directory.resolve("passwd");
    java.nio.file.Files.writeString(passwords, user + ": " + password + "\n");
    DatasetGraph tdb2 = DatabaseMgr.createDatasetGraph();
    tdb2.getContext().set(TDB2.symUnionDefaultGraph, true);
    return new TestFuseki(
        tdb2,
        FusekiServer.create()
            .passwordFile(passwords.toString())
            .auth(org.apache.jena.atlas.web.AuthScheme.BASIC)
            .serverAuthPolicy(org.apache.jena.fuseki.auth.Auth.ANY_USER));
  }

  /** TDB2 (in memory) with the union default graph, as docker/fuseki-arbiter.ttl configures. */
  public static TestFuseki tdb2() {
    DatasetGraph tdb2 = DatabaseMgr.createDatasetGraph();
    tdb2.getContext().set(TDB2.symUnionDefaultGraph, true);
    return new TestFuseki(tdb2);
  }

  /** TDB2 in {@code directory} with the union default graph: what a production Fuseki serves. */
  public static TestFuseki tdb2(java.nio.file.Path directory) {
    DatasetGraph tdb2 = DatabaseMgr.connectDatasetGraph(directory.toString());
    tdb2.getContext().set(TDB2.symUnionDefaultGraph, true);
    return new TestFuseki(tdb2);
  }

  /** Fuseki's plain in-memory dataset ({@code --mem}): its default graph is a graph of its own. */
  public static TestFuseki plainMemory() {
    return new TestFuseki(DatasetGraphFactory.createTxnMem());
  }

  public SparqlProvStore.Endpoints endpoints() {
    String dataset = server.datasetURL("/arbiter");
    return new SparqlProvStore.Endpoints(
        dataset + "/query", dataset + "/update", dataset + "/data");
  }

  /** Arbiter's store over this server, written under {@link TestStore#IRIS}. */
  public SparqlProvStore connect() {
    return SparqlProvStore.connect(endpoints(), Optional.empty(), TestStore.IRIS);
  }

  @Override
  public void close() {
    server.stop();
  }
}
