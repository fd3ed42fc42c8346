package io.arbiter.graph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.ModelVersion;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparqlServiceTest {

  @TempDir Path dir;
  private TestStore graph;

  @BeforeEach
  void fill() {
    graph = new TestStore(dir);
    bundles.clear();
    for (int i = 0; i < 30; i++) {
      var model =
          new ModelVersion(
              new ModelVersionRef("m" + i, "1"), Optional.of("model " + i), Optional.empty());
      bundles.add(
          graph
              .writer
              .append(
                  new ModelVersion.Registered(
                      model,
                      "arbiter",
                      Instant.parse("2026-01-01T00:00:00Z"),
                      TestStore.IRIS.modelVersion("m" + i, "1")))
              .toCompletableFuture()
              .join()
              .bundleIri());
    }
  }

  private final List<String> bundles = new java.util.ArrayList<>();

  @AfterEach
  void close() {
    graph.close();
  }

  private SparqlService service(Duration timeout, long cap) {
    return new SparqlService(graph.store, timeout, cap);
  }

  private SparqlService.Result run(SparqlService sparql, String query) {
    return sparql.execute(sparql.parse(query, List.of(), List.of()));
  }

  @Test
  void select_seesTheUnionOfBundlesWithoutGraphClauses() {
    var result =
        run(
            service(Duration.ofSeconds(10), 1000),
            "PREFIX arb: <https://w3id.org/arbiter#> SELECT ?m WHERE { ?m a arb:ModelVersion }");
    SparqlService.Table table = assertInstanceOf(SparqlService.Table.class, result);
    assertEquals(30, table.rows().size());
    assertFalse(table.capped());
  }

  @Test
  void select_overTheCap_isCutAndFlagged() {
    var table =
        (SparqlService.Table)
            run(service(Duration.ofSeconds(10), 7), "SELECT * WHERE { ?s ?p ?o }");
    assertEquals(7, table.rows().size());
    assertTrue(table.capped());
  }

  @Test
  void select_smallerLimitThanCap_isKept() {
    var table =
        (SparqlService.Table)
            run(service(Duration.ofSeconds(10), 7), "SELECT * WHERE { ?s ?p ?o } LIMIT 3");
    assertEquals(3, table.rows().size());
    assertFalse(table.capped());
  }

  @Test
  void ask_andConstruct_work() {
    SparqlService sparql = service(Duration.ofSeconds(10), 1000);
    assertTrue(((SparqlService.Bool) run(sparql, "ASK { ?s ?p ?o }")).value());
    var graphResult =
        (SparqlService.GraphResult)
            run(
                sparql,
                "CONSTRUCT { ?m <urn:p> ?v } WHERE { ?m <http://www.w3.org/ns/dcat#version> ?v }");
    assertEquals(30, graphResult.model().size());
  }

  @Test
  void runawayQuery_isCancelledAtTheTimeout() {
    SparqlService sparql = service(Duration.ofMillis(300), 100);
    long started = System.nanoTime();
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                run(
                    sparql,
                    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"));
    assertEquals(ProblemType.QUERY_TIMEOUT, e.type());
    assertTrue(
        Duration.ofNanos(System.nanoTime() - started).toSeconds() < 20,
        "cancelled, not run to the end");
    // The store still answers afterwards.
    assertTrue(
        ((SparqlService.Bool) run(service(Duration.ofSeconds(5), 10), "ASK { ?s ?p ?o }")).value());
  }

  @Test
  void update_isRefusedAsReadOnly() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                service(Duration.ofSeconds(1), 1)
                    .parse("INSERT DATA { <urn:a> <urn:b> <urn:c> }", List.of(), List.of()));
    assertEquals(ProblemType.SPARQL_UPDATE_REFUSED, e.type());
  }

  @Test
  void syntaxError_isReported() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                service(Duration.ofSeconds(1), 1)
                    .parse("SELECT * WHERE { ?s ?p }", List.of(), List.of()));
    assertEquals(ProblemType.SPARQL_SYNTAX, e.type());
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void federatedQuery_isRefused() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                service(Duration.ofSeconds(1), 1)
                    .parse(
                        "SELECT * WHERE { { SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } } } }",
                        List.of(),
                        List.of()));
    assertEquals(ProblemType.BAD_REQUEST, e.type());
  }

  @Test
  void protocolDataset_replacesTheQueryDataset() {
    SparqlService sparql = service(Duration.ofSeconds(10), 1000);
    var query =
        sparql.parse(
            "SELECT ?s WHERE { ?s a <https://w3id.org/arbiter#ModelVersion> }",
            List.of(bundles.get(3)),
            List.of());
    var table = (SparqlService.Table) sparql.execute(query);
    assertEquals(1, table.rows().size());
    assertEquals(
        TestStore.IRIS.modelVersion("m3", "1"), table.rows().next().getResource("s").getURI());
  }

  @Test
  void federatedQueryInsideExists_isRefused() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                service(Duration.ofSeconds(1), 1)
                    .parse(
                        "ASK { FILTER NOT EXISTS { SERVICE <http://example.org/sparql> { ?s ?p ?o } } }",
                        List.of(),
                        List.of()));
    assertEquals(ProblemType.BAD_REQUEST, e.type());
  }

  @Test
  void javaExtensionFunction_isRefused() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                service(Duration.ofSeconds(1), 1)
                    .parse(
                        "SELECT * WHERE { BIND(<java:java.lang.Runtime>(1) AS ?x) }",
                        List.of(),
                        List.of()));
    assertEquals(ProblemType.BAD_REQUEST, e.type());
  }

  @Test
  void fromAnUrl_readsOnlyTheStoreNeverTheWeb() {
    var table =
        (SparqlService.Table)
            run(
                service(Duration.ofSeconds(10), 100),
                "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }");
    assertEquals(0, table.rows().size());
  }

  @Test
  void select_exactlyTheCap_isNotFlagged() {
    SparqlService sparql = service(Duration.ofSeconds(10), 30);
    var table =
        (SparqlService.Table)
            run(sparql, "SELECT ?m WHERE { ?m a <https://w3id.org/arbiter#ModelVersion> }");
    assertEquals(30, table.rows().size());
    assertFalse(table.capped());
  }

  /** A listener's report of one query. */
  private record Heard(QueryListener.Form form, QueryListener.Outcome outcome, long nanos) {}

  private static List<Heard> listen(SparqlService sparql) {
    List<Heard> heard = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    sparql.onQueried((form, outcome, nanos) -> heard.add(new Heard(form, outcome, nanos)));
    return heard;
  }

  @Test
  void onQueried_hearsEachQueryWithItsFormAndTime() {
    SparqlService sparql = service(Duration.ofSeconds(10), 1000);
    List<Heard> heard = listen(sparql);
    run(sparql, "SELECT * WHERE { ?s ?p ?o }");
    run(sparql, "ASK { ?s ?p ?o }");
    run(sparql, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5");
    run(sparql, "DESCRIBE <" + TestStore.IRIS.modelVersion("m1", "1") + ">");
    assertEquals(
        List.of(
            QueryListener.Form.SELECT,
            QueryListener.Form.ASK,
            QueryListener.Form.CONSTRUCT,
            QueryListener.Form.DESCRIBE),
        heard.stream().map(Heard::form).toList());
    for (Heard one : heard) {
      assertEquals(QueryListener.Outcome.OK, one.outcome());
      assertTrue(one.nanos() > 0, one.toString());
    }
  }

  @Test
  void onQueried_timedOutQuery_isHeardAsTimeoutWithAtLeastTheTimeout() {
    SparqlService sparql = service(Duration.ofMillis(300), 100);
    List<Heard> heard = listen(sparql);
    assertThrows(
        ProblemException.class,
        () ->
            run(
                sparql,
                "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"));
    assertEquals(1, heard.size());
    assertEquals(QueryListener.Form.SELECT, heard.get(0).form());
    assertEquals(QueryListener.Outcome.TIMEOUT, heard.get(0).outcome());
    assertTrue(heard.get(0).nanos() >= Duration.ofMillis(300).toNanos(), heard.toString());
  }

  @Test
  void onQueried_listenerThatThrows_changesNotTheResult() {
    SparqlService sparql = service(Duration.ofSeconds(10), 1000);
    sparql.onQueried(
        (form, outcome, nanos) -> {
          throw new IllegalStateException("a broken listener");
        });
    List<Heard> heard = listen(sparql);
    assertTrue(((SparqlService.Bool) run(sparql, "ASK { ?s ?p ?o }")).value());
    assertEquals(1, heard.size(), "the next listener still hears");
  }
}
