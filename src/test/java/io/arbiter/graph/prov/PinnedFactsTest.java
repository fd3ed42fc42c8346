package io.arbiter.graph.prov;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionId;
import io.arbiter.decision.DecisionRequest;
import io.arbiter.decision.DecisionRequestParser;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.PinnedFacts;
import io.arbiter.decision.PolicyRef;
import io.arbiter.policy.DriftFacts;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decision's facts pinned whole as one JSON document read back through TDB2 equal the facts its
 * triples give, for every kind of value; a decision recorded without the document is read from its
 * triples.
 */
class PinnedFactsTest {

  private static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");

  @TempDir Path dir;

  /** Integers, decimals with trailing zeros, strings, booleans, lists and maps; drift; a tenant. */
  private static Decision richDecision() {
    return richDecision(false, false);
  }

  /**
   * @param registered whether its model version was registered at intake
   * @param unapproved whether it awaited a required approval at intake
   */
  private static Decision richDecision(boolean registered, boolean unapproved) {
    String json =
        """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "case-7", "tenant": "retail",
         "input": {"amount": 12000, "income": 56000.50, "riskScore": {"value": 0.10, "source": "bureau"},
                   "employed": true, "segment": "prime"},
         "output": {"label": "approve", "score": 0.7123456789012345, "confidence": 0.9,
                    "explanation": {"income": 0.4}},
         "context": {"region": "EU", "channel": {"kind": "web", "tags": ["a", "b"], "n": 3}}}
        """;
    DecisionRequest request = DecisionRequestParser.parse(json.getBytes(StandardCharsets.UTF_8));
    DriftFacts drift =
        new DriftFacts(
            Optional.of("alarm-1"),
            Map.of("amount", 0.31, DriftFacts.SCORE, 0.05),
            Map.of("amount", 0.123456789));
    var facts =
        request
            .facts()
            .withDrift(drift)
            .withModelRegistered(registered)
            .withModelUnapproved(unapproved);
    return new Decision(
        DecisionId.next(AT),
        request,
        drift,
        "alice",
        AT,
        Optional.empty(),
        Optional.of(new PolicyRef("demo-credit-policy", "1")),
        Fixtures.demoPolicy().evaluate(facts),
        List.of(),
        false,
        registered,
        unapproved,
        List.of(),
        request.output().label());
  }

  private static void record(TestStore graph, Decision decision) {
    graph
        .writer
        .append(new Decision.Submitted(decision, TestStore.IRIS.decision(decision.id().value())))
        .toCompletableFuture()
        .join();
    graph.settle(); // in TDB2, where the tests change it behind the application's back
  }

  private static List<PinnedFacts> pinned(ProvDecisionRecords records) {
    List<DecisionSummary> summaries = new ArrayList<>();
    records.forEachSummary(summaries::add);
    List<PinnedFacts> pinned = new ArrayList<>();
    records.loadPinned(summaries, pinned::add);
    return pinned;
  }

  @Test
  void pinnedDocument_givesTheFactsTheTriplesGive() {
    Decision decision = richDecision();
    try (TestStore graph = new TestStore(dir)) {
      record(graph, decision);
      ProvDecisionRecords records = new ProvDecisionRecords(graph.store, TestStore.IRIS);
      List<PinnedFacts> pinned = pinned(records);

      assertEquals(1, pinned.size());
      var fromTriples = records.load(decision.id()).orElseThrow().decision();
      assertEquals(decision.facts(), pinned.get(0).facts(), "numbers keep their spelling as sent");
      assertEquals(
          new java.math.BigDecimal("56000.50"), pinned.get(0).facts().input().get("income"));
      // TDB2 keeps decimals by value (56000.50 reads back as 56000.5): equal as numbers.
      assertEquals(byValue(fromTriples.facts()), byValue(pinned.get(0).facts()));
      assertEquals(Optional.of("retail"), pinned.get(0).summary().tenant());
      assertEquals(decision.id(), pinned.get(0).summary().id());
    }
  }

  @Test
  void pinnedFacts_ofAVersionAwaitingApproval_readBackSoFromDocumentAndTriples() {
    Decision decision = richDecision(true, true);
    assertEquals(io.arbiter.policy.RuleKind.FAIL_SAFE, decision.evaluation().kind(), "the fixture");
    try (TestStore graph = new TestStore(dir)) {
      record(graph, decision);
      ProvDecisionRecords records = new ProvDecisionRecords(graph.store, TestStore.IRIS);
      var fromTriples = records.load(decision.id()).orElseThrow().decision();
      org.junit.jupiter.api.Assertions.assertTrue(fromTriples.modelUnapproved());
      org.junit.jupiter.api.Assertions.assertTrue(fromTriples.facts().modelUnapproved());
      org.junit.jupiter.api.Assertions.assertTrue(pinned(records).get(0).facts().modelUnapproved());
      assertEquals(decision.evaluation(), fromTriples.evaluation());
    }
  }

  @Test
  void pinnedDocument_ofAnApprovedOrUngatedVersion_hasNoApprovalKey() {
    String text = JsonText.write(richDecision(true, false).facts().document());
    org.junit.jupiter.api.Assertions.assertFalse(text.contains("modelUnapproved"), text);
    org.junit.jupiter.api.Assertions.assertFalse(
        io.arbiter.policy.Facts.fromDocument((Map<?, ?>) JsonText.read(text)).modelUnapproved());
  }

  @Test
  void decisionRecordedWithoutThePinnedDocument_isReadFromItsTriples() {
    Decision decision = richDecision();
    try (TestStore graph = new TestStore(dir)) {
      record(graph, decision);
      assertEquals(1, rewritePinnedDocument(decision, text -> null), "the document was there");

      List<PinnedFacts> pinned = pinned(new ProvDecisionRecords(graph.store, TestStore.IRIS));
      assertEquals(1, pinned.size());
      assertEquals(byValue(decision.facts()), byValue(pinned.get(0).facts()));
      assertEquals(Optional.of("retail"), pinned.get(0).summary().tenant());
    }
  }

  @Test
  void damagedPinnedDocument_isReadFromTheTriplesInstead() {
    Decision decision = richDecision();
    try (TestStore graph = new TestStore(dir)) {
      record(graph, decision);
      // A document whose drift statistics are not numbers.
      assertEquals(
          1,
          rewritePinnedDocument(
              decision, text -> text.replace("\"amount\":0.31", "\"amount\":\"high\"")));

      List<PinnedFacts> pinned = pinned(new ProvDecisionRecords(graph.store, TestStore.IRIS));
      assertEquals(1, pinned.size());
      assertEquals(byValue(decision.facts()), byValue(pinned.get(0).facts()));
    }
  }

  private static Map<DecisionId, Map<String, Object>> contexts(ProvDecisionRecords records) {
    List<DecisionSummary> summaries = new ArrayList<>();
    records.forEachSummary(summaries::add);
    Map<DecisionId, Map<String, Object>> contexts = new java.util.LinkedHashMap<>();
    records.loadContexts(summaries, (summary, context) -> contexts.put(summary.id(), context));
    return contexts;
  }

  /** A context match reads the context member alone; it is the context the whole facts give. */
  @Test
  void contexts_fromThePinnedDocument_equalTheFactsContexts() {
    Decision decision = richDecision();
    try (TestStore graph = new TestStore(dir)) {
      record(graph, decision);
      ProvDecisionRecords records = new ProvDecisionRecords(graph.store, TestStore.IRIS);
      Map<String, Object> context = contexts(records).get(decision.id());
      assertEquals(decision.facts().context(), context);
      assertEquals(pinned(records).get(0).facts().context(), context);
      assertEquals(List.of("channel", "region"), List.copyOf(context.keySet()), "keys in order");
    }
  }

  @Test
  void contexts_withoutOrWithADamagedDocument_areReadFromTheTriples() {
    Decision decision = richDecision();
    try (TestStore graph = new TestStore(dir)) {
      record(graph, decision);
      // The context member is there, but not an object.
      assertEquals(
          1,
          rewritePinnedDocument(
              decision, text -> text.replaceFirst("^\\{\"context\":", "{\"context\":7,\"x\":")));
      ProvDecisionRecords records = new ProvDecisionRecords(graph.store, TestStore.IRIS);
      assertEquals(
          byValue(decision.facts().context()), byValue(contexts(records).get(decision.id())));
      assertEquals(1, rewritePinnedDocument(decision, text -> null));
      assertEquals(
          byValue(decision.facts().context()), byValue(contexts(records).get(decision.id())));
    }
  }

  @Test
  void jsonMember_isReadAlone_pastObjectsAndArraysBeforeIt() {
    String text = "{\"a\":{\"b\":[1,{\"c\":2}]},\"d\":[[],{}],\"e\":\"x\",\"f\":{\"g\":1.50}}";
    assertEquals(
        Optional.of(Map.of("g", new java.math.BigDecimal("1.50"))), JsonText.member(text, "f"));
    assertEquals(Optional.of("x"), JsonText.member(text, "e"));
    assertEquals(Optional.empty(), JsonText.member(text, "b"), "top-level members only");
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> JsonText.member("[1]", "f"));
    org.junit.jupiter.api.Assertions.assertThrows(
        jakarta.json.JsonException.class, () -> JsonText.member("{\"f\": ", "f"));
  }

  /**
   * Rewrites the decision's pinned document behind the application's back, straight in TDB2: {@code
   * change} maps its text to the new text, or to null to delete it.
   *
   * @return how many documents were rewritten
   */
  private long rewritePinnedDocument(
      Decision decision, java.util.function.UnaryOperator<String> change) {
    var tdb = DatabaseMgr.connectDatasetGraph(dir.toString());
    Node subject = NodeFactory.createURI(TestStore.IRIS.decision(decision.id().value()));
    return Txn.calculateWrite(
        tdb,
        () -> {
          List<org.apache.jena.sparql.core.Quad> quads = new ArrayList<>();
          tdb.find(Node.ANY, subject, Vocab.pinnedFacts.asNode(), Node.ANY)
              .forEachRemaining(quads::add);
          for (var quad : quads) {
            tdb.delete(quad);
            String changed = change.apply(quad.getObject().getLiteralLexicalForm());
            if (changed != null) {
              tdb.add(
                  quad.getGraph(),
                  subject,
                  Vocab.pinnedFacts.asNode(),
                  NodeFactory.createLiteralDT(changed, org.apache.jena.vocabulary.RDF.dtRDFJSON));
            }
          }
          return (long) quads.size();
        });
  }

  @Test
  void pinnedDocument_isCanonical_keysSortedAtEveryDepth() {
    Decision decision = richDecision();
    String text = JsonText.write(decision.facts().document());
    assertEquals(
        text,
        JsonText.write(
            io.arbiter.policy.Facts.fromDocument((Map<?, ?>) JsonText.read(text)).document()));
    org.junit.jupiter.api.Assertions.assertTrue(
        text.startsWith("{\"context\":{\"channel\":{\"kind\":\"web\",\"n\":3,\"tags\""), text);
    org.junit.jupiter.api.Assertions.assertTrue(
        text.contains("\"model\":{\"name\":\"demo-credit\",\"version\":\"1\"}"), text);
    org.junit.jupiter.api.Assertions.assertTrue(
        text.contains("\"output\":{\"confidence\":0.9,\"label\":\"approve\",\"score\":"), text);
  }

  /** The facts with every number at its shortest scale, so that 0.10 equals 0.1. */
  private static io.arbiter.policy.Facts byValue(io.arbiter.policy.Facts facts) {
    return io.arbiter.policy.Facts.fromDocument((Map<?, ?>) byValue(facts.document()));
  }

  private static Object byValue(Object value) {
    if (value instanceof java.math.BigDecimal number) {
      return number.stripTrailingZeros();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new java.util.TreeMap<>();
      map.forEach((k, v) -> copy.put(k, byValue(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(PinnedFactsTest::byValue).toList();
    }
    return value;
  }
}
