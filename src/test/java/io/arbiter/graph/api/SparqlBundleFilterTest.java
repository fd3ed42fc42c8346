package io.arbiter.graph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.graph.prov.BundleFilter;
import io.arbiter.registry.ModelVersion;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query run for a caller who may see some bundles only sees nothing of the others, whichever way
 * it reaches quads: the union default graph, {@code GRAPH ?g}, a named hidden graph, {@code FROM
 * NAMED}, property paths, DESCRIBE, and the ledger graph (no event's bundle). Ten of thirty model
 * versions are visible, chosen by the subject each bundle names; the query texts are plain.
 */
class SparqlBundleFilterTest {

  private static final String PREFIX = "PREFIX arb: <https://w3id.org/arbiter#> ";

  @TempDir Path dir;
  private TestStore graph;
  private SparqlService sparql;
  private final List<String> bundles = new ArrayList<>();
  private final Set<String> visibleSubjects = new HashSet<>();

  @BeforeEach
  void fill() {
    graph = new TestStore(dir);
    sparql = new SparqlService(graph.store, Duration.ofSeconds(20), 1000);
    for (int i = 0; i < 30; i++) {
      String subject = TestStore.IRIS.modelVersion("m" + i, "1");
      var model =
          new ModelVersion(
              new ModelVersionRef("m" + i, "1"), Optional.of("model " + i), Optional.empty());
      bundles.add(
          graph
              .writer
              .append(
                  new ModelVersion.Registered(
                      model, "arbiter", Instant.parse("2026-01-01T00:00:00Z"), subject))
              .toCompletableFuture()
              .join()
              .bundleIri());
      if (i % 3 == 0) {
        visibleSubjects.add(subject);
      }
    }
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private BundleFilter filter() {
    return (type, subject) -> type.equals("model.registered") && visibleSubjects.contains(subject);
  }

  private Set<String> column(String query, String var, Optional<BundleFilter> visible) {
    var result = sparql.execute(sparql.parse(query, List.of(), List.of()), "tester", visible);
    var table = assertInstanceOf(SparqlService.Table.class, result);
    Set<String> values = new HashSet<>();
    table.rows().reset();
    table
        .rows()
        .forEachRemaining(
            solution -> {
              var node = solution.get(var);
              values.add(node.isLiteral() ? node.asLiteral().getLexicalForm() : node.toString());
            });
    return values;
  }

  private boolean ask(String query, Optional<BundleFilter> visible) {
    var result = sparql.execute(sparql.parse(query, List.of(), List.of()), "tester", visible);
    return assertInstanceOf(SparqlService.Bool.class, result).value();
  }

  @Test
  void union_withoutAFilter_seesEveryBundle_withOne_onlyTheVisible() {
    String query = PREFIX + "SELECT ?m WHERE { ?m a arb:ModelVersion }";
    assertEquals(30, column(query, "m", Optional.empty()).size());
    assertEquals(visibleSubjects, column(query, "m", Optional.of(filter())));
  }

  @Test
  void graphVariable_rangesOverVisibleBundlesOnly() {
    Set<String> graphs =
        column(
            PREFIX + "SELECT ?g WHERE { GRAPH ?g { ?m a arb:ModelVersion } }",
            "g",
            Optional.of(filter()));
    assertEquals(10, graphs.size());
    Set<String> hidden = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      if (i % 3 != 0) {
        hidden.add(bundles.get(i));
      }
    }
    graphs.forEach(g -> assertFalse(hidden.contains(g), g));
  }

  @Test
  void hiddenBundle_namedInGraphOrFromNamed_readsAsEmpty() {
    String hidden = bundles.get(1);
    String visible = bundles.get(0);
    String ask = "ASK { GRAPH <%s> { ?s ?p ?o } }";
    assertTrue(ask(ask.formatted(hidden), Optional.empty()), "the control sees it");
    assertFalse(ask(ask.formatted(hidden), Optional.of(filter())));
    assertTrue(ask(ask.formatted(visible), Optional.of(filter())));
    String fromNamed = "SELECT ?s FROM NAMED <%s> WHERE { GRAPH ?g { ?s ?p ?o } }";
    assertFalse(column(fromNamed.formatted(hidden), "s", Optional.empty()).isEmpty());
    assertTrue(column(fromNamed.formatted(hidden), "s", Optional.of(filter())).isEmpty());
    String from = "SELECT ?s FROM <%s> WHERE { ?s ?p ?o }";
    assertTrue(column(from.formatted(hidden), "s", Optional.of(filter())).isEmpty());
  }

  @Test
  void propertyPaths_seeOnlyTheVisibleBundles() {
    String query =
        PREFIX
            + "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            + "SELECT DISTINCT ?m WHERE { ?m a/rdfs:subClassOf* arb:ModelVersion }";
    String plus = PREFIX + "SELECT DISTINCT ?m WHERE { ?m (a)+ arb:ModelVersion }";
    assertEquals(30, column(plus, "m", Optional.empty()).size());
    assertEquals(visibleSubjects, column(plus, "m", Optional.of(filter())));
    assertEquals(visibleSubjects, column(query, "m", Optional.of(filter())));
  }

  @Test
  void describe_ofAHiddenResource_isEmpty() {
    String hidden = TestStore.IRIS.modelVersion("m1", "1");
    var all =
        sparql.execute(
            sparql.parse("DESCRIBE <" + hidden + ">", List.of(), List.of()), "t", Optional.empty());
    assertFalse(assertInstanceOf(SparqlService.GraphResult.class, all).model().isEmpty());
    var filtered =
        sparql.execute(
            sparql.parse("DESCRIBE <" + hidden + ">", List.of(), List.of()),
            "t",
            Optional.of(filter()));
    assertTrue(assertInstanceOf(SparqlService.GraphResult.class, filtered).model().isEmpty());
  }

  @Test
  void ledgerGraph_isNoBundle_andHiddenUnderAFilter() {
    String ask = "ASK { GRAPH <" + TestStore.IRIS.ledgerGraph() + "> { ?s ?p ?o } }";
    assertTrue(ask(ask, Optional.empty()), "the store keeps a ledger graph");
    assertFalse(ask(ask, Optional.of(filter())));
  }
}
