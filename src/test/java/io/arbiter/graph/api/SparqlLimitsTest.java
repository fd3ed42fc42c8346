package io.arbiter.graph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.testing.TestStore;
import io.arbiter.web.Permits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one query may take, run on a real TDB2 store. */
class SparqlLimitsTest {

  /** Generous: only so that a regression fails instead of hanging the build. */
  private static final Duration HANG = Duration.ofSeconds(60);

  @TempDir Path dir;
  private TestStore graph;
  private SparqlService sparql;

  @BeforeEach
  void open() {
    graph = new TestStore(dir);
    sparql =
        new SparqlService(
            graph.store,
            new SparqlService.Limits(Duration.ofSeconds(30), 1000, 10_000, 10, 1000, 2, 3));
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private SparqlService.Result run(String query) {
    return assertTimeoutPreemptively(
        HANG, () -> sparql.execute(sparql.parse(query, List.of(), List.of())));
  }

  private void assertTooLarge(String query, String limit) {
    ProblemException e = assertThrows(ProblemException.class, () -> run(query));
    assertEquals(ProblemType.QUERY_TOO_LARGE, e.type(), e.getMessage());
    assertEquals("query", e.errors().get(0).field());
    assertTrue(e.errors().get(0).message().contains(limit), e.errors().toString());
  }

  /** BIND(CONCAT(?s0, ?s0) AS ?s1) … twenty times: a megabyte from one character, per row. */
  private static String doubling(int times) {
    return IntStream.range(0, times)
        .mapToObj(i -> "BIND(CONCAT(?s%d, ?s%d) AS ?s%d)".formatted(i, i, i + 1))
        .collect(Collectors.joining(" "));
  }

  @Test
  void concat_doublingPastTheLimit_isRefused() {
    assertTooLarge("SELECT ?s20 WHERE { VALUES ?s0 { \"x\" } " + doubling(20) + " }", "CONCAT");
  }

  @Test
  void concat_insideExists_isBoundedToo() {
    assertTooLarge("ASK { VALUES ?s0 { \"x\" } FILTER EXISTS { " + doubling(20) + " } }", "CONCAT");
  }

  @Test
  void concat_withinTheLimit_answers() {
    var table =
        assertInstanceOf(
            SparqlService.Table.class,
            run("SELECT ?s9 WHERE { VALUES ?s0 { \"x\" } " + doubling(9) + " }"));
    assertEquals(512, table.rows().next().getLiteral("s9").getLexicalForm().length());
  }

  @Test
  void replace_expandingPastTheLimit_isRefused() {
    assertTooLarge(
        "SELECT ?r WHERE { VALUES ?s { \""
            + "a".repeat(100)
            + "\" }"
            + " BIND(REPLACE(?s, \"a\", \"$0$0$0$0$0$0$0$0$0$0$0$0\") AS ?r) }",
        "REPLACE");
  }

  @Test
  void replace_followsSparqlSemantics() {
    var table =
        assertInstanceOf(
            SparqlService.Table.class,
            run(
                "SELECT ?r WHERE { BIND(REPLACE(\"abcabc\", \"(b)(c)\", \"[$2$1\\\\\\\\\\\\$]\")"
                    + " AS ?r) }"));
    assertEquals("a[cb\\$]a[cb\\$]", table.rows().next().getLiteral("r").getLexicalForm());
  }

  @Test
  void groupConcat_pastTheLimit_isRefused() {
    String values =
        IntStream.range(0, 200)
            .mapToObj(i -> "\"value" + i + "\"")
            .collect(Collectors.joining(" "));
    assertTooLarge(
        "SELECT (GROUP_CONCAT(?v) AS ?all) WHERE { VALUES ?v { " + values + " } }", "GROUP_CONCAT");
  }

  @Test
  void encodeForUri_nestedPastTheLimit_isRefused() {
    // Each level turns every % into %25: a hundred of them grow by two hundred characters a level.
    String nested = "\"" + "%".repeat(100) + "\"";
    for (int i = 0; i < 5; i++) {
      nested = "ENCODE_FOR_URI(" + nested + ")";
    }
    assertTooLarge("SELECT ?e WHERE { BIND(" + nested + " AS ?e) }", "characters");
  }

  /**
   * Catastrophic backtracking for java.util.regex (hours for forty characters), linear for RE2J;
   * within one row, where the query timeout is not checked.
   */
  @Test
  void regex_thatBacktracksInJava_answersInLinearTime() {
    var bool =
        assertInstanceOf(
            SparqlService.Bool.class,
            run(
                "ASK { VALUES ?s { \""
                    + "a".repeat(40)
                    + "!\" } FILTER(REGEX(?s, \"^(a|aa)+$\")) }"));
    assertFalse(bool.value());
    var matched =
        assertInstanceOf(
            SparqlService.Bool.class,
            run("ASK { VALUES ?s { \"Arbiter\" } FILTER(REGEX(?s, \"^arb\", \"i\")) }"));
    assertTrue(matched.value());
  }

  @Test
  void regex_withABackreference_isRefusedBeforeItRuns() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                sparql.parse("ASK { FILTER(REGEX(\"aa\", \"(a)\\\\1\")) }", List.of(), List.of()));
    assertEquals(ProblemType.BAD_REQUEST, e.type());
    assertEquals("query", e.errors().get(0).field());
  }

  @Test
  void construct_pastTheTripleCap_isRefused() {
    assertTooLarge(
        "CONSTRUCT { ?a <urn:p> ?b } WHERE { VALUES ?a { <urn:a1> <urn:a2> <urn:a3> <urn:a4> }"
            + " VALUES ?b { 1 2 3 4 } }",
        "triples");
    var graph =
        assertInstanceOf(
            SparqlService.GraphResult.class,
            run(
                "CONSTRUCT { ?a <urn:p> ?b } WHERE { VALUES ?a { <urn:a1> <urn:a2> <urn:a3> }"
                    + " VALUES ?b { 1 2 3 } }"));
    assertEquals(9, graph.model().size());
  }

  @Test
  void select_pastTheByteLimit_isRefused() {
    String values =
        IntStream.range(0, 100)
            .mapToObj(i -> "\"" + "v".repeat(200) + i + "\"")
            .collect(Collectors.joining(" "));
    assertTooLarge("SELECT ?v WHERE { VALUES ?v { " + values + " } }", "bytes");
  }

  @Test
  void permits_perCallerAndInTotal_areRefusedAtOnceAndReleased() {
    Permits permits = new Permits("SPARQL queries", "arbiter.sparql", 2, 3);
    var a1 = permits.acquire("alice");
    var a2 = permits.acquire("alice");
    ProblemException mine = assertThrows(ProblemException.class, () -> permits.acquire("alice"));
    assertEquals(ProblemType.TOO_MANY_REQUESTS, mine.type());
    var b1 = permits.acquire("bob");
    ProblemException all = assertThrows(ProblemException.class, () -> permits.acquire("carol"));
    assertEquals(ProblemType.SERVER_BUSY, all.type());
    a1.close();
    permits.acquire("carol").close();
    a2.close();
    b1.close();
    permits.acquire("alice").close();
    permits.acquire("alice").close();
    // Closing a permit twice (a stream ended by the client and by the server) releases it once.
    var d1 = permits.acquire("dave");
    d1.close();
    d1.close();
    var held = List.of(permits.acquire("a"), permits.acquire("b"), permits.acquire("c"));
    assertEquals(
        ProblemType.SERVER_BUSY,
        assertThrows(ProblemException.class, () -> permits.acquire("e")).type());
    held.forEach(Permits.Permit::close);
  }
}
