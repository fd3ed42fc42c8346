package io.arbiter.graph.prov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionId;
import io.arbiter.decision.DecisionRequest;
import io.arbiter.decision.DecisionRequestParser;
import io.arbiter.decision.PolicyRef;
import io.arbiter.policy.CompiledPolicy;
import io.arbiter.policy.Evaluation;
import io.arbiter.policy.PolicyCompiler;
import io.arbiter.policy.PolicyDocument;
import io.arbiter.policy.PolicyParser;
import io.arbiter.policy.PolicyRegistered;
import io.arbiter.policy.ReviewSettings;
import io.arbiter.policy.Route;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.rdf.model.Literal;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.vocabulary.RDF;
import org.junit.jupiter.api.Test;

/** The PROV-O mapping of a decision event, triple by triple where it matters. */
class ProvMapperTest {

  private static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");
  private static final String EVENT_ID = io.arbiter.event.EventIds.next(AT);
  private final ProvMapper mapper = new ProvMapper(TestStore.IRIS);

  private Model bundle(Decision decision) {
    var event = new Decision.Submitted(decision, TestStore.IRIS.decision(decision.id().value()));
    return ModelFactory.createModelForGraph(mapper.bundle(event, EVENT_ID));
  }

  private static Decision decision(
      DecisionRequest request, Optional<PolicyRef> policy, Evaluation evaluation) {
    return new Decision(
        DecisionId.next(AT),
        request,
        io.arbiter.policy.DriftFacts.NONE,
        "alice",
        AT,
        Optional.empty(),
        policy,
        evaluation,
        java.util.List.of(),
        false,
        true,
        false,
        java.util.List.of(),
        request.output().label());
  }

  private static Resource routing(Model model, Decision decision) {
    return model.getResource(TestStore.IRIS.decision(decision.id().value()) + "/routing");
  }

  @Test
  void bundle_describesItself() {
    var request = Fixtures.request(12000, 56000, 0.1, "approve", 0.9);
    Decision decision =
        decision(
            request,
            Optional.of(new PolicyRef("p", "1")),
            Fixtures.demoPolicy().evaluate(request.facts()));
    Model model = bundle(decision);
    Resource bundle = model.getResource(TestStore.IRIS.bundle(EVENT_ID));
    assertTrue(model.contains(bundle, RDF.type, Vocab.Prov.Bundle));
    assertEquals(
        null,
        bundle.getProperty(Vocab.sequence),
        "the sequence is the ledger's, stated beside the bundle: the bundle is made before it");
    assertEquals("decision.submitted", bundle.getProperty(Vocab.eventType).getString());
    assertEquals(
        TestStore.IRIS.decision(decision.id().value()),
        bundle.getPropertyResourceValue(Vocab.eventSubject).getURI());
    assertEquals(
        TestStore.IRIS.agent("alice"),
        bundle.getPropertyResourceValue(Vocab.Prov.wasAttributedTo).getURI());
  }

  @Test
  void decision_links_modelAsAgent_policyAsPlan_inputsAsUsedEntities() {
    var request = Fixtures.request(12000, 56000, 0.1, "approve", 0.9);
    Evaluation evaluation = Fixtures.demoPolicy().evaluate(request.facts());
    Decision decision =
        decision(request, Optional.of(new PolicyRef("demo-credit-policy", "1")), evaluation);
    Model model = bundle(decision);
    String iri = TestStore.IRIS.decision(decision.id().value());
    Resource subject = model.getResource(iri);
    Resource inference = subject.getPropertyResourceValue(Vocab.Prov.wasGeneratedBy);
    String modelVersion = TestStore.IRIS.modelVersion("demo-credit", "1");
    assertEquals(
        modelVersion, inference.getPropertyResourceValue(Vocab.Prov.wasAssociatedWith).getURI());
    assertEquals(
        modelVersion, subject.getPropertyResourceValue(Vocab.Prov.wasAttributedTo).getURI());
    Resource amount = model.getResource(iri + "/inputs/amount");
    assertTrue(model.contains(inference, Vocab.Prov.used, amount));
    Resource risk = model.getResource(iri + "/inputs/riskScore");
    assertEquals(
        TestStore.IRIS.source("bureau"),
        risk.getPropertyResourceValue(Vocab.Prov.wasDerivedFrom).getURI());

    Resource routing = routing(model, decision);
    assertTrue(model.contains(routing, Vocab.Prov.used, subject));
    Resource association = routing.getPropertyResourceValue(Vocab.Prov.qualifiedAssociation);
    String plan = TestStore.IRIS.policyVersion("demo-credit-policy", "1");
    assertEquals(plan, association.getPropertyResourceValue(Vocab.Prov.hadPlan).getURI());
    assertEquals(
        plan + "/rules/affordable-low-risk",
        routing.getPropertyResourceValue(Vocab.matchedRule).getURI());
    assertFalse(routing.hasProperty(Vocab.failedRule));
    assertEquals(Vocab.RouteApprove, routing.getPropertyResourceValue(Vocab.route));
    assertFalse(routing.getProperty(Vocab.failSafe).getBoolean());
    assertFalse(routing.hasProperty(Vocab.reviewQueue));
  }

  @Test
  void values_keepTheirJsonTypes() {
    DecisionRequest request =
        DecisionRequestParser.parse(
            """
        {"model": {"name": "m", "version": "1"}, "subject": "s",
         "input": {"i": 12000, "d": 0.25, "s": "text", "b": true, "o": {"k": [1, 2]}},
         "output": {"label": "x", "score": 1, "confidence": 0.5}}"""
                .getBytes());
    Decision decision =
        decision(
            request,
            Optional.empty(),
            Evaluation.failSafe(
                ReviewSettings.FAIL_SAFE,
                Optional.empty(),
                List.of(),
                "no policy governs model m"));
    Model model = bundle(decision);
    String iri = TestStore.IRIS.decision(decision.id().value());
    assertEquals(XSDDatatype.XSDinteger.getURI(), datatype(model, iri, "i"));
    assertEquals(XSDDatatype.XSDdecimal.getURI(), datatype(model, iri, "d"));
    assertEquals(XSDDatatype.XSDstring.getURI(), datatype(model, iri, "s"));
    assertEquals(XSDDatatype.XSDboolean.getURI(), datatype(model, iri, "b"));
    assertEquals(RDF.dtRDFJSON.getURI(), datatype(model, iri, "o"));
    assertEquals(
        "{\"k\":[1,2]}", model.getResource(iri + "/inputs/o").getProperty(Vocab.value).getString());
  }

  @Test
  void failSafe_withoutPolicy_hasNoPlanAndRecordsTheReason() {
    var request = Fixtures.request(12000, 56000, 0.1, "approve", 0.9);
    Decision decision =
        decision(
            request,
            Optional.empty(),
            Evaluation.failSafe(
                ReviewSettings.FAIL_SAFE,
                Optional.empty(),
                List.of(),
                "no policy governs model x"));
    Model model = bundle(decision);
    Resource routing = routing(model, decision);
    Resource association = routing.getPropertyResourceValue(Vocab.Prov.qualifiedAssociation);
    assertFalse(association.hasProperty(Vocab.Prov.hadPlan));
    assertTrue(routing.getProperty(Vocab.failSafe).getBoolean());
    assertEquals("no policy governs model x", routing.getProperty(Vocab.failure).getString());
    assertEquals(Vocab.RouteReview, routing.getPropertyResourceValue(Vocab.route));
    assertEquals("fail-safe", routing.getProperty(Vocab.reviewQueue).getString());
  }

  @Test
  void failSafe_ofARule_pointsAtTheFailedRuleNotAMatchedOne() throws Exception {
    DecisionRequest request =
        DecisionRequestParser.parse(
            """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "s",
         "input": {"amount": 1, "income": 2},
         "output": {"label": "approve", "score": 1, "confidence": 0.9}}"""
                .getBytes());
    // The risk score optional: its absence fails the first rule that reads it, not the decision.
    CompiledPolicy policy =
        PolicyCompiler.compile(
            PolicyParser.parse(
                "demo",
                Fixtures.resource("demo/policies/demo-credit.yaml")
                    .replace("riskScore: number", "riskScore: {type: number, optional: true}")));
    Evaluation evaluation = policy.evaluate(request.facts());
    Decision decision =
        decision(request, Optional.of(new PolicyRef("demo-credit-policy", "1")), evaluation);
    Resource routing = routing(bundle(decision), decision);
    assertFalse(routing.hasProperty(Vocab.matchedRule));
    assertEquals(
        TestStore.IRIS.policyVersion("demo-credit-policy", "1") + "/rules/high-risk-reject",
        routing.getPropertyResourceValue(Vocab.failedRule).getURI());
  }

  private static String datatype(Model model, String decisionIri, String input) {
    return model
        .getResource(decisionIri + "/inputs/" + input)
        .getProperty(Vocab.value)
        .getLiteral()
        .getDatatypeURI();
  }

  @Test
  void route_demoVocabulary_keepsTheArbConcepts_andWritesNoRecommendation() {
    // The shape every store written before vocabularies holds: nothing new to migrate.
    var request = Fixtures.request(12000, 56000, 0.1, "approve", 0.9);
    Decision decision =
        decision(
            request,
            Optional.of(new PolicyRef("demo-credit-policy", "1")),
            Fixtures.demoPolicy().evaluate(request.facts()));
    Resource routing = routing(bundle(decision), decision);
    assertEquals(Vocab.RouteApprove, routing.getPropertyResourceValue(Vocab.route));
    assertFalse(routing.hasProperty(Vocab.recommendation));
    assertEquals(Route.APPROVE, ProvDecisionRecords.route(Vocab.RouteApprove));
    assertEquals(Route.REJECT, ProvDecisionRecords.route(Vocab.RouteReject));
    assertEquals(Route.REVIEW, ProvDecisionRecords.route(Vocab.RouteReview));
  }

  @Test
  void route_declaredOutcome_isItsOwnConcept_andReadsBack() {
    Resource benign = ProvMapper.route(TestStore.IRIS, new Route("benign"));
    assertEquals(TestStore.IRIS.outcome("benign"), benign.getURI());
    assertEquals(new Route("benign"), ProvDecisionRecords.route(benign));
    // Read back whatever base the store was written with.
    assertEquals(
        new Route("benign"),
        ProvDecisionRecords.route(
            ModelFactory.createDefaultModel()
                .createResource("https://elsewhere.example/id/outcomes/benign")));
  }

  @Test
  void policyVersion_vocabulary_isPublishedAsASkosConceptScheme() throws Exception {
    PolicyDocument document =
        PolicyParser.parse(
            "screening",
            """
            id: screening
            version: 2
            scope: {models: [tumour-screen]}
            vocabulary:
              outcomes: [benign, malignant]
              labels: {M: malignant}
              positive: malignant
            onReviewTimeout: malignant
            reasonCodes: [looks-benign, needs-biopsy]
            rules: [{id: clear, condition: "output.label == 'B'", route: benign}]
            """);
    String versionIri = TestStore.IRIS.policyVersion("screening", "2");
    Model model =
        ModelFactory.createModelForGraph(
            mapper.bundle(
                new PolicyRegistered(document, "paula", AT, versionIri, Optional.empty()),
                EVENT_ID));
    Resource version = model.getResource(versionIri);
    Resource scheme = version.getPropertyResourceValue(Vocab.outcomeScheme);
    assertEquals(TestStore.IRIS.outcomeScheme("screening", "2"), scheme.getURI());
    assertTrue(model.contains(scheme, RDF.type, Vocab.Skos.ConceptScheme));
    Resource malignant = model.getResource(TestStore.IRIS.outcome("malignant"));
    for (String outcome : List.of("benign", "malignant")) {
      Resource concept = model.getResource(TestStore.IRIS.outcome(outcome));
      assertTrue(model.contains(scheme, Vocab.Skos.hasTopConcept, concept), outcome);
      assertTrue(model.contains(concept, Vocab.Skos.inScheme, scheme), outcome);
      assertTrue(model.contains(concept, RDF.type, Vocab.Skos.Concept), outcome);
      assertEquals(outcome, concept.getProperty(Vocab.Skos.notation).getString());
    }
    assertEquals(malignant, version.getPropertyResourceValue(Vocab.positiveOutcome));
    assertEquals(malignant, version.getPropertyResourceValue(Vocab.onReviewTimeout));
    Resource mapping = version.getPropertyResourceValue(Vocab.labelMapping);
    assertEquals("M", mapping.getProperty(Vocab.modelLabel).getString());
    assertEquals(malignant, mapping.getPropertyResourceValue(Vocab.recommends));
    Resource codes = version.getPropertyResourceValue(Vocab.reasonCodeScheme);
    assertEquals(versionIri + "/reason-codes", codes.getURI());
    Resource biopsy = model.getResource(versionIri + "/reason-codes/needs-biopsy");
    assertTrue(model.contains(codes, Vocab.Skos.hasTopConcept, biopsy));
    assertEquals("needs-biopsy", biopsy.getProperty(Vocab.Skos.notation).getString());
  }

  @Test
  void policyVersion_labelledReasonCodes_publishTheirLabelAndDefinition_plainOnesTheirCode()
      throws Exception {
    PolicyDocument document =
        PolicyParser.parse(
            "codes",
            """
            id: codes
            version: 1
            scope: {models: [tumour-screen]}
            reasonCodes:
              - other
              - code: needs-biopsy
                label: Needs a biopsy
                definition: The images alone cannot settle it.
              - {code: looks-benign, label: Looks benign}
            """);
    String versionIri = TestStore.IRIS.policyVersion("codes", "1");
    Model model =
        ModelFactory.createModelForGraph(
            mapper.bundle(
                new PolicyRegistered(document, "paula", AT, versionIri, Optional.empty()),
                EVENT_ID));
    Resource scheme =
        model.getResource(versionIri).getPropertyResourceValue(Vocab.reasonCodeScheme);
    Resource biopsy = model.getResource(versionIri + "/reason-codes/needs-biopsy");
    Resource benign = model.getResource(versionIri + "/reason-codes/looks-benign");
    Resource other = model.getResource(versionIri + "/reason-codes/other");
    for (Resource code : List.of(biopsy, benign, other)) {
      assertTrue(model.contains(scheme, Vocab.Skos.hasTopConcept, code), code.getURI());
      assertEquals(1, model.listObjectsOfProperty(code, Vocab.Skos.prefLabel).toList().size());
    }
    Literal label = biopsy.getProperty(Vocab.Skos.prefLabel).getLiteral();
    assertEquals("Needs a biopsy", label.getLexicalForm());
    assertEquals("", label.getLanguage(), "no language is claimed for the policy's words");
    assertEquals("needs-biopsy", biopsy.getProperty(Vocab.Skos.notation).getString());
    assertEquals(
        "The images alone cannot settle it.",
        biopsy.getProperty(Vocab.Skos.definition).getString());
    assertEquals("Looks benign", benign.getProperty(Vocab.Skos.prefLabel).getString());
    assertFalse(benign.hasProperty(Vocab.Skos.definition));
    assertEquals("other", other.getProperty(Vocab.Skos.prefLabel).getString());
    assertFalse(other.hasProperty(Vocab.Skos.definition));
  }

  @Test
  void decision_labelMappedToAnotherOutcome_recordsTheRecommendationOnItsRouting() {
    var request = Fixtures.request(12000, 56000, 0.1, "M", 0.9);
    Decision mapped =
        new Decision(
            DecisionId.next(AT),
            request,
            io.arbiter.policy.DriftFacts.NONE,
            "alice",
            AT,
            Optional.empty(),
            Optional.of(new PolicyRef("screening", "2")),
            Evaluation.failSafe(ReviewSettings.FAIL_SAFE, Optional.empty(), List.of(), "test"),
            List.of(),
            false,
            true,
            false,
            List.of(),
            "malignant");
    Resource routing = routing(bundle(mapped), mapped);
    assertEquals("malignant", routing.getProperty(Vocab.recommendation).getString());
  }
}
