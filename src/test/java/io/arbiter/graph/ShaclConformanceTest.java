package io.arbiter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.config.SeedFile;
import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionRequestParser;
import io.arbiter.decision.DecisionService;
import io.arbiter.policy.PolicyTransition;
import io.arbiter.policy.RuleKind;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.jena.graph.Graph;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.vocabulary.RDF;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bundle type Arbiter writes conforms to ontology/shapes.ttl: events are produced through the
 * real services and writer into TDB2, and the union of all bundles is validated.
 */
class ShaclConformanceTest {

  private static final Shapes SHAPES = Shapes.parse(RDFDataMgr.loadGraph("ontology/shapes.ttl"));

  @TempDir Path dir;
  private TestStore graph;
  private DecisionService decisions;

  @BeforeEach
  void record() throws Exception {
    graph = new TestStore(dir);
    TestApp app =
        new TestApp(
            graph,
            List.of(
                new SeedFile("demo", Fixtures.resource("demo/models/demo-credit.yaml")),
                new SeedFile("ungoverned", "name: ungoverned\nversion: 2\n")),
            List.of(new SeedFile("p", Fixtures.resource("demo/policies/demo-credit.yaml"))));
    decisions = app.decisions;
    // Every lifecycle step: a revision in shadow (so decisions carry a shadow routing), then
    // active, and a third version retired.
    String policy = "demo-credit-policy";
    app.policies.register(
        Fixtures.demoPolicyText("2", 30000)
            .replace("\nversion: 2\n", "\nversion: 2\nqaSampling: 1\n"),
        "alice");
    app.policies.transition(policy, "2", PolicyTransition.APPROVE, "bob", Optional.empty());
    app.policies.transition(
        policy, "2", PolicyTransition.SHADOW, "bob", Optional.of("watch it for a week"));

    Set<RuleKind> kinds = new HashSet<>();
    kinds.add(
        submit(
            Fixtures.request(12000, 56000, 0.1, "approve", 0.9),
            Optional.of(new Decision.Idempotency("k", "sha256:" + "ab".repeat(32)))));
    kinds.add(submit(Fixtures.request(90000, 56000, 0.95, "reject", 0.9), Optional.empty()));
    kinds.add(submit(Fixtures.request(90000, 56000, 0.2, "approve", 0.3), Optional.empty()));
    kinds.add(submit(Fixtures.request(30000, 40000, 0.5, "approve", 0.9), Optional.empty()));
    kinds.add(
        submit(
            parse(
                """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "no-risk", "input": {"amount": 10},
         "output": {"label": "approve", "score": 1, "confidence": 0.9}}"""),
            Optional.empty()));
    kinds.add(
        submit(
            parse(
                """
        {"model": {"name": "ungoverned", "version": "2"}, "subject": "orphan", "input": {"flag": true, "tags": ["x"]},
         "output": {"label": "yes", "score": 1, "confidence": 1}}"""),
            Optional.empty()));
    assertEquals(
        Set.of(RuleKind.RULE, RuleKind.GUARDRAIL, RuleKind.DEFAULT, RuleKind.FAIL_SAFE),
        kinds,
        "the fixture covers every way a decision is routed");
    app.policies.transition(policy, "2", PolicyTransition.ACTIVATE, "bob", Optional.empty());
    assertTrue(
        decisions
            .submit(
                Fixtures.request(1000, 56000, 0.1, "approve", 0.9), "integrator", Optional.empty())
            .recorded()
            .decision()
            .qaSampled(),
        "version 2 samples every automated decision");
    app.policies.register(Fixtures.demoPolicyText("3", 20000), "alice");
    app.policies.transition(policy, "3", PolicyTransition.RETIRE, "bob", Optional.empty());
  }

  private RuleKind submit(
      io.arbiter.decision.DecisionRequest request, Optional<Decision.Idempotency> key) {
    return decisions.submit(request, "integrator", key).recorded().decision().evaluation().kind();
  }

  private static io.arbiter.decision.DecisionRequest parse(String json) {
    return DecisionRequestParser.parse(json.getBytes());
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private Model union() {
    return graph.store.query(
        QueryFactory.create("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
        Duration.ofMinutes(1),
        execution -> execution.execConstruct());
  }

  private static String report(ValidationReport report) {
    var out = new java.io.ByteArrayOutputStream();
    RDFDataMgr.write(out, report.getModel(), org.apache.jena.riot.Lang.TURTLE);
    return out.toString();
  }

  @Test
  void everyBundleType_conformsToTheShapes() {
    Model union = union();
    Set<String> types = new HashSet<>();
    union
        .listObjectsOfProperty(Vocab.eventType)
        .forEachRemaining(t -> types.add(t.asLiteral().getString()));
    assertEquals(
        Set.of(
            "model.registered",
            "policy.registered",
            "policy.approved",
            "policy.shadowed",
            "policy.activated",
            "policy.retired",
            "decision.submitted"),
        types);
    ValidationReport report = ShaclValidator.get().validate(SHAPES, union.getGraph());
    assertTrue(report.conforms(), report(report));
  }

  @Test
  void shapes_catchABrokenDecision() {
    Model union = union();
    var decision = union.listSubjectsWithProperty(RDF.type, Vocab.Decision).next();
    union.removeAll(decision, Vocab.label, null);
    union.addLiteral(decision, Vocab.confidence, 1.5d);
    ValidationReport report = ShaclValidator.get().validate(SHAPES, union.getGraph());
    assertFalse(report.conforms());
    Set<String> paths = new HashSet<>();
    report.getEntries().forEach(e -> paths.add(String.valueOf(e.resultPath())));
    assertTrue(paths.stream().anyMatch(p -> p.contains("label")), paths.toString());
    assertTrue(paths.stream().anyMatch(p -> p.contains("confidence")), paths.toString());
  }

  @Test
  void shapes_catchAPolicyVersionApprovedByItsAuthor() {
    Model union = union();
    var approval =
        union.getResource(
            TestStore.IRIS.policyVersion("demo-credit-policy", "2") + "/attribution/approver");
    union.removeAll(approval, Vocab.Prov.agent, null);
    union.add(approval, Vocab.Prov.agent, union.getResource(TestStore.IRIS.agent("alice")));
    ValidationReport report = ShaclValidator.get().validate(SHAPES, union.getGraph());
    assertFalse(report.conforms());
    assertTrue(report(report).contains("both wrote and approved"), report(report));
  }

  @Test
  void shapes_catchABundleWithoutItsSequence() {
    Model union = union();
    Graph data = union.getGraph();
    var bundle = union.listSubjectsWithProperty(RDF.type, Vocab.EventBundle).next();
    union.removeAll(bundle, Vocab.sequence, null);
    assertFalse(ShaclValidator.get().validate(SHAPES, data).conforms());
  }

  @Test
  void ontology_declaresEveryTermTheMapperWrites() {
    Model ontology = ModelFactory.createDefaultModel().read("ontology/arbiter.ttl");
    Model union = union();
    Set<String> undeclared = new HashSet<>();
    union
        .listStatements()
        .forEachRemaining(
            s -> {
              String predicate = s.getPredicate().getURI();
              if (predicate.startsWith(Vocab.ARB) && !ontology.containsResource(s.getPredicate())) {
                undeclared.add(predicate);
              }
              if (s.getPredicate().equals(RDF.type)
                  && s.getObject().asResource().getURI().startsWith(Vocab.ARB)
                  && !ontology.containsResource(s.getObject())) {
                undeclared.add(s.getObject().asResource().getURI());
              }
            });
    assertEquals(Set.of(), undeclared);
  }
}
