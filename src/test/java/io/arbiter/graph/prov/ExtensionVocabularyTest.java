package io.arbiter.graph.prov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.config.OntologyExtensionFiles;
import io.arbiter.config.SeedFile;
import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionRequest;
import io.arbiter.decision.DecisionRequestParser;
import io.arbiter.decision.ExtensionValue;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extension properties on decisions with the worked example (EU AI Act risk classes) loaded: how
 * submitted values resolve and are typed, how the shapes refuse a decision before anything is
 * recorded, and how the values land in the bundle and read back.
 */
class ExtensionVocabularyTest {

  private static final String EUAI = OntologyExtensionsTest.EUAI;
  private static final String XSD = "http://www.w3.org/2001/XMLSchema#";
  private static final OntologyExtensions EXAMPLE =
      OntologyExtensions.load(OntologyExtensionFiles.read(OntologyExtensionsTest.EXAMPLE).turtle());

  @TempDir Path dir;
  private TestStore graph;
  private TestApp app;

  @BeforeEach
  void start() throws Exception {
    graph = new TestStore(dir);
    app = TestApp.demo(graph);
    app.decisions.extensions(new ExtensionVocabulary(EXAMPLE, TestStore.IRIS));
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  private static DecisionRequest request(String tenant, String extensions) {
    String json =
        """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "case-1",
         "input": {"amount": 12000, "income": 56000, "riskScore": 0.1},
         "output": {"label": "approve", "score": 0.7, "confidence": 0.9}
         %s %s}
        """
            .formatted(
                tenant == null ? "" : ", \"tenant\": \"" + tenant + "\"",
                extensions == null ? "" : ", \"extensions\": " + extensions);
    return DecisionRequestParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private Decision submit(DecisionRequest request) {
    return app.decisions.submit(request, "integrator", Optional.empty()).recorded().decision();
  }

  private static List<String> fields(ProblemException e) {
    return e.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void resolve_prefixedAndFullNames_areTypedByTheirRanges() {
    var vocabulary = new ExtensionVocabulary(EXAMPLE, TestStore.IRIS);

    List<ExtensionValue> values;
    try {
      values =
          vocabulary.resolve(
              Map.of("euai:riskClass", "euai:HighRisk", EUAI + "annexIIIPoint", "5(b)"));
    } catch (ProblemException e) {
      throw new AssertionError(e.errors().toString());
    }

    assertEquals(
        List.of(
            ExtensionValue.literal(EUAI + "annexIIIPoint", "5(b)", XSD + "string"),
            ExtensionValue.iri(EUAI + "riskClass", EUAI + "HighRisk")),
        values);
  }

  @Test
  void resolve_undeclaredProperty_isRefusedNamingTheField() {
    var vocabulary = new ExtensionVocabulary(EXAMPLE, TestStore.IRIS);

    var e =
        assertThrows(
            ProblemException.class,
            () -> vocabulary.resolve(Map.of("euai:riskKlass", "euai:HighRisk")));

    assertEquals(422, e.type().status());
    assertEquals(List.of("extensions.euai:riskKlass"), fields(e));
  }

  @Test
  void resolve_valuesThatDoNotFitTheRange_areRefused() {
    var vocabulary = new ExtensionVocabulary(EXAMPLE, TestStore.IRIS);

    var e =
        assertThrows(
            ProblemException.class,
            () ->
                vocabulary.resolve(
                    Map.of(
                        "euai:riskClass", "high risk", "euai:annexIIIPoint", new BigDecimal("5"))));

    assertEquals(
        List.of("extensions.euai:annexIIIPoint", "extensions.euai:riskClass"),
        fields(e).stream().sorted().toList());
  }

  @Test
  void resolve_sameProperty_twice_isRefused() {
    var vocabulary = new ExtensionVocabulary(EXAMPLE, TestStore.IRIS);
    var submitted = new java.util.LinkedHashMap<String, Object>();
    submitted.put("euai:riskClass", "euai:HighRisk");
    submitted.put(EUAI + "riskClass", "euai:HighRisk");

    var e = assertThrows(ProblemException.class, () -> vocabulary.resolve(submitted));

    assertEquals(List.of("extensions." + EUAI + "riskClass"), fields(e));
  }

  @Test
  void resolve_datatypesAndUntypedProperties_followTheJsonValue() {
    String text =
        """
        PREFIX ex: <https://example.org/ns#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        ex:note a rdf:Property .
        ex:count a owl:DatatypeProperty ; rdfs:range xsd:integer .
        ex:reviewedOn a owl:DatatypeProperty ; rdfs:range xsd:date .
        ex:owner a rdf:Property ; rdfs:range ex:Team .
        """;
    var vocabulary =
        new ExtensionVocabulary(
            OntologyExtensions.load(List.of(new SeedFile("ex.ttl", text))), TestStore.IRIS);
    String ex = "https://example.org/ns#";

    var values =
        vocabulary.resolve(
            Map.of(
                "ex:note",
                List.of("checked", new BigDecimal("2.50"), true),
                "ex:count",
                new BigDecimal("12"),
                "ex:reviewedOn",
                "2026-11-25",
                "ex:owner",
                "https://example.org/teams/risk"));

    assertTrue(values.contains(ExtensionValue.literal(ex + "note", "checked", XSD + "string")));
    assertTrue(values.contains(ExtensionValue.literal(ex + "note", "2.50", XSD + "decimal")));
    assertTrue(values.contains(ExtensionValue.literal(ex + "note", "true", XSD + "boolean")));
    assertTrue(values.contains(ExtensionValue.literal(ex + "count", "12", XSD + "integer")));
    assertTrue(
        values.contains(ExtensionValue.literal(ex + "reviewedOn", "2026-11-25", XSD + "date")));
    assertTrue(values.contains(ExtensionValue.iri(ex + "owner", "https://example.org/teams/risk")));
    var e =
        assertThrows(
            ProblemException.class,
            () ->
                vocabulary.resolve(
                    Map.of("ex:count", new BigDecimal("1.5"), "ex:reviewedOn", "tomorrow")));
    assertEquals(2, e.errors().size());
  }

  @Test
  void submit_withRiskClass_landsOnTheDecisionInItsBundle_andReadsBack() {
    Decision decision =
        submit(
            request(
                "eu-retail",
                "{\"euai:riskClass\": \"euai:HighRisk\", \"euai:annexIIIPoint\": \"5(b)\"}"));

    String iri = TestStore.IRIS.decision(decision.id().value());
    var recorded = app.decisions.find(decision.id()).orElseThrow();
    Model bundle =
        ModelFactory.createModelForGraph(graph.store.graph(recorded.bundleIri()).orElseThrow());
    assertTrue(
        bundle.contains(
            bundle.getResource(iri),
            bundle.getProperty(EUAI + "riskClass"),
            bundle.getResource(EUAI + "HighRisk")));
    assertTrue(
        bundle.contains(
            bundle.getResource(iri),
            bundle.getProperty(EUAI + "annexIIIPoint"),
            bundle.createTypedLiteral("5(b)", XSD + "string")));
    assertEquals(decision.extensions(), recorded.decision().extensions());
    assertEquals(2, recorded.decision().extensions().size());
    // Shapes see what the bundle says about the decision, not a version of their own.
    var focus = new ExtensionVocabulary(EXAMPLE, TestStore.IRIS).focus(decision);
    var mapped = new ProvMapper(TestStore.IRIS).bundle(new Decision.Submitted(decision, iri), "e0");
    focus.find().forEachRemaining(t -> assertTrue(mapped.contains(t), "bundle lacks " + t));
  }

  @Test
  void submit_euTenantWithoutRiskClass_isRefusedBeforeAnythingIsRecorded() {
    long before = graph.tree.size();

    var e = assertThrows(ProblemException.class, () -> submit(request("eu-retail", null)));

    assertEquals(422, e.type().status());
    assertEquals(List.of("extensions.euai:riskClass"), fields(e));
    assertTrue(e.errors().get(0).message().contains("EU tenant"), e.errors().get(0).message());
    assertEquals(before, graph.tree.size(), "nothing was recorded");
    assertTrue(app.decisions.list(io.arbiter.decision.DecisionQuery.all()).items().isEmpty());
  }

  @Test
  void submit_prohibitedOrMalformedValues_areRefusedNamingTheField() {
    var prohibited =
        assertThrows(
            ProblemException.class,
            () -> submit(request(null, "{\"euai:riskClass\": \"euai:Unacceptable\"}")));
    var badPoint =
        assertThrows(
            ProblemException.class,
            () ->
                submit(
                    request(
                        null,
                        "{\"euai:riskClass\": \"euai:HighRisk\", \"euai:annexIIIPoint\": \"IX\"}")));

    assertEquals(List.of("extensions.euai:riskClass"), fields(prohibited));
    assertEquals(List.of("extensions.euai:annexIIIPoint"), fields(badPoint));
    assertEquals(3, graph.tree.size(), "only the model, the policy version and its activation");
  }

  @Test
  void submit_withExtensionValues_whenNoExtensionIsLoaded_isRefused() {
    app.decisions.extensions(io.arbiter.decision.DecisionExtensions.NONE);

    var e =
        assertThrows(
            ProblemException.class,
            () -> submit(request(null, "{\"euai:riskClass\": \"euai:HighRisk\"}")));

    assertEquals(List.of("extensions.euai:riskClass"), fields(e));
    assertEquals(3, graph.tree.size(), "nothing was recorded");
  }

  @Test
  void submit_outsideTheEuWithoutExtensions_isRecordedAsBefore() {
    Decision decision = submit(request("us-retail", null));

    assertTrue(decision.extensions().isEmpty());
    assertFalse(app.decisions.find(decision.id()).isEmpty());
  }
}
