package io.arbiter.graph.prov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.config.SeedFile;
import io.arbiter.decision.Decision;
import io.arbiter.decision.GroundTruth;
import io.arbiter.drift.Distribution;
import io.arbiter.drift.DriftAlarm;
import io.arbiter.drift.DriftMonitor;
import io.arbiter.drift.DriftSettings;
import io.arbiter.drift.ReferenceProfile;
import io.arbiter.policy.Route;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.review.Caller;
import io.arbiter.review.Outcome;
import io.arbiter.review.VerdictRequest;
import io.arbiter.security.Roles;
import io.arbiter.slo.ObjectivesParser;
import io.arbiter.slo.SloBreach;
import io.arbiter.slo.SloMonitor;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestClock;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.rdf.model.InfModel;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.reasoner.ReasonerRegistry;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What we write is valid PROV where a PROV reader would check it (W3C PROV-CONSTRAINTS): each
 * constraint is a SPARQL query for its violations, run over a rich history recorded through the
 * real services and writer — every event type, every way a review ends, a policy lifecycle, a drift
 * alarm raised and cleared, an SLO breach begun and ended, ground truth.
 *
 * <p>The history is {@link ShaclConformanceTest}'s, recorded by its own code, so that an event type
 * added there is checked here too. Typing is read the way a reasoner reads it: the record plus RDFS
 * entailment under PROV-O and {@code ontology/arbiter.ttl} (subclasses, and the domains and ranges
 * of PROV relations), so that an entity an activity {@code prov:used} is an entity whether or not
 * we said so.
 *
 * <p>PROV-CONSTRAINTS orders events, not time stamps; it leaves checking that time stamps agree
 * with that order to applications. We check it wherever both times are recorded: generation, usage
 * and invalidation lie within their activities' start and end.
 */
class ProvConstraintsTest {

  private static final String PREFIXES =
      """
      PREFIX prov: <http://www.w3.org/ns/prov#>
      PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
      PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
      """;

  /** PROV-O and our ontology, for entailment and for subclass look-ups. */
  private static final Model ONTOLOGY = ontology();

  private static Model ontology() {
    Model ontology = RDFDataMgr.loadModel("ontology/prov-o/prov.ttl");
    return ontology.add(RDFDataMgr.loadModel("ontology/arbiter.ttl"));
  }

  /**
   * One constraint: a query for its violations.
   *
   * @param entailed whether it reads the record with its RDFS entailments (else the record as is,
   *     plus the ontologies' subclass axioms)
   */
  record Constraint(String name, boolean entailed, String select, String where) {}

  private static final String ENTITY = "rdf:type/rdfs:subClassOf* prov:Entity";
  private static final String ACTIVITY = "rdf:type/rdfs:subClassOf* prov:Activity";
  private static final String AGENT = "rdf:type/rdfs:subClassOf* prov:Agent";

  private static Constraint typed(String relation, String role, String type) {
    return new Constraint(
        "typing: " + relation + " " + role + " stated",
        false,
        "?x",
        relation + " FILTER NOT EXISTS { ?x " + type + " }");
  }

  static final List<Constraint> CONSTRAINTS =
      List.of(
          // PROV-CONSTRAINTS 55: entity-activity-disjoint, with types entailed from the relations.
          new Constraint(
              "entity-activity-disjoint", true, "?x", "?x a prov:Entity , prov:Activity"),
          // Typing (constraint 50) stated in the record itself, for readers without a reasoner.
          typed("?x prov:wasGeneratedBy ?y", "entity", ENTITY),
          typed("?y prov:wasGeneratedBy ?x", "activity", ACTIVITY),
          typed("?y prov:used ?x", "entity", ENTITY),
          typed("?x prov:used ?y", "activity", ACTIVITY),
          typed("?x prov:wasDerivedFrom|prov:wasRevisionOf ?y", "derived entity", ENTITY),
          typed("?y prov:wasDerivedFrom|prov:wasRevisionOf ?x", "source entity", ENTITY),
          typed("?x prov:wasAttributedTo ?y", "entity", ENTITY),
          typed("?y prov:wasAttributedTo ?x", "agent", AGENT),
          typed("?x prov:wasAssociatedWith ?y", "activity", ACTIVITY),
          typed("?y prov:wasAssociatedWith ?x", "agent", AGENT),
          typed("?x prov:generatedAtTime ?y", "entity", ENTITY),
          typed("?x prov:startedAtTime|prov:endedAtTime ?y", "activity", ACTIVITY),
          typed("?q prov:agent ?x", "agent", AGENT),
          typed("?q prov:hadPlan ?x", "plan", "rdf:type/rdfs:subClassOf* prov:Plan"),
          // Key constraints (24-27): one generation, one start, one end, one invalidation.
          new Constraint(
              "one generation time",
              false,
              "?e",
              "?e prov:generatedAtTime ?a , ?b FILTER (?a != ?b)"),
          new Constraint(
              "one generating activity",
              false,
              "?e",
              "?e prov:wasGeneratedBy ?a , ?b FILTER (?a != ?b)"),
          new Constraint(
              "one start time", false, "?x", "?x prov:startedAtTime ?a , ?b FILTER (?a != ?b)"),
          new Constraint(
              "one end time", false, "?x", "?x prov:endedAtTime ?a , ?b FILTER (?a != ?b)"),
          new Constraint(
              "one invalidation time",
              false,
              "?e",
              "?e prov:invalidatedAtTime ?a , ?b FILTER (?a != ?b)"),
          // 34: start-precedes-end.
          new Constraint(
              "start-precedes-end",
              false,
              "?x ?start ?end",
              "?x prov:startedAtTime ?start ; prov:endedAtTime ?end FILTER (?start > ?end)"),
          // 36: generation-within-activity.
          new Constraint(
              "generation-within-activity (after its start)",
              false,
              "?e ?t ?start",
              "?e prov:wasGeneratedBy ?a ; prov:generatedAtTime ?t . ?a prov:startedAtTime ?start"
                  + " FILTER (?t < ?start)"),
          new Constraint(
              "generation-within-activity (before its end)",
              false,
              "?e ?t ?end",
              "?e prov:wasGeneratedBy ?a ; prov:generatedAtTime ?t . ?a prov:endedAtTime ?end"
                  + " FILTER (?t > ?end)"),
          // 39 with 35 (usage-within-activity): generated no later than the user's end, and
          // the generating activity started no later than that either.
          new Constraint(
              "generation-precedes-usage",
              false,
              "?a ?e ?generated ?end",
              "?a prov:used ?e ; prov:endedAtTime ?end . ?e prov:generatedAtTime ?generated"
                  + " FILTER (?generated > ?end)"),
          new Constraint(
              "generation-precedes-usage (generating activity)",
              false,
              "?a ?e",
              "?a prov:used ?e ; prov:endedAtTime ?end . ?e prov:wasGeneratedBy ?g ."
                  + " ?g prov:startedAtTime ?start FILTER (?start > ?end)"),
          // 40, 41: generation and usage precede invalidation.
          new Constraint(
              "generation-precedes-invalidation",
              false,
              "?e",
              "?e prov:generatedAtTime ?g ; prov:invalidatedAtTime ?i FILTER (?g > ?i)"),
          new Constraint(
              "usage-precedes-invalidation",
              false,
              "?a ?e",
              "?a prov:used ?e ; prov:startedAtTime ?start . ?e prov:invalidatedAtTime ?i"
                  + " FILTER (?start > ?i)"),
          // 45: derivation-generation-generation-ordering (revisions and QA findings included).
          new Constraint(
              "derivation-generation-generation-ordering",
              true,
              "?e2 ?e1",
              "?e2 prov:wasDerivedFrom ?e1 ; prov:generatedAtTime ?t2 ."
                  + " ?e1 prov:generatedAtTime ?t1 FILTER (?t1 > ?t2)"),
          new Constraint(
              "derivation-generation-generation-ordering (generating activity)",
              true,
              "?e2 ?e1",
              "?e2 prov:wasDerivedFrom ?e1 ; prov:wasGeneratedBy ?a . ?a prov:endedAtTime ?end ."
                  + " ?e1 prov:generatedAtTime ?t1 FILTER (?t1 > ?end)"),
          new Constraint("no derivation cycle", true, "?e", "?e prov:wasDerivedFrom+ ?e"),
          new Constraint(
              "impossible-specialization-reflexive", false, "?e", "?e prov:specializationOf ?e"),
          // PROV-O's qualified association.
          new Constraint(
              "association typed prov:Association",
              false,
              "?q",
              "?a prov:qualifiedAssociation ?q FILTER NOT EXISTS { ?q a prov:Association }"),
          new Constraint(
              "association has exactly one agent",
              false,
              "?q",
              "{ ?a prov:qualifiedAssociation ?q FILTER NOT EXISTS { ?q prov:agent ?x } }"
                  + " UNION { ?q prov:agent ?x , ?y FILTER (?x != ?y) }"),
          new Constraint(
              "association's agent also unqualified",
              false,
              "?a ?x",
              "?a prov:qualifiedAssociation/prov:agent ?x"
                  + " FILTER NOT EXISTS { ?a prov:wasAssociatedWith ?x }"),
          new Constraint(
              "association of one activity",
              false,
              "?q",
              "?a prov:qualifiedAssociation ?q . ?b prov:qualifiedAssociation ?q FILTER (?a != ?b)"));

  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-25T09:00:00Z"));

  /** The union of all bundles of a store, as stored. */
  private static Model union(TestStore graph) {
    return graph.store.query(
        QueryFactory.create("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
        Duration.ofMinutes(1),
        QueryExecution::execConstruct);
  }

  /** Every violation of every constraint, by constraint name; empty when the record is valid. */
  static Map<String, List<String>> violations(Model record) {
    Model stated = ModelFactory.createDefaultModel().add(record);
    stated.add(ONTOLOGY.listStatements(null, RDFS.subClassOf, (RDFNode) null));
    InfModel inference =
        ModelFactory.createInfModel(ReasonerRegistry.getRDFSReasoner(), ONTOLOGY, record);
    Model entailed = ModelFactory.createDefaultModel().add(inference);
    Map<String, List<String>> found = new TreeMap<>();
    for (Constraint c : CONSTRAINTS) {
      List<String> rows = rows(c.entailed() ? entailed : stated, c.select(), c.where());
      if (!rows.isEmpty()) {
        found.put(c.name(), rows);
      }
    }
    return found;
  }

  private static List<String> rows(Model model, String select, String where) {
    Query query =
        QueryFactory.create(PREFIXES + "SELECT DISTINCT " + select + " WHERE { " + where + " }");
    List<String> rows = new ArrayList<>();
    try (QueryExecution execution = QueryExecution.model(model).query(query).build()) {
      execution.execSelect().forEachRemaining(row -> rows.add(row.toString()));
    }
    return rows;
  }

  @Test
  void everyBundleTypeOfTheShaclHistory_meetsTheConstraints() throws Exception {
    // ShaclConformanceTest's history, recorded by its own code: an event type added there is
    // checked here too.
    ShaclConformanceTest history = new ShaclConformanceTest();
    history.dir = dir.resolve("shacl");
    java.nio.file.Files.createDirectories(history.dir);
    history.record();
    try {
      assertEquals(Map.of(), violations(union(history.store())));
    } finally {
      history.close();
    }
  }

  @Test
  void aHistoryWithTimePassing_meetsTheConstraints() throws Exception {
    try (TestStore graph = new TestStore(dir.resolve("timed"))) {
      Model record = union(recordWithTimePassing(graph));
      // The history gives the time checks something to compare.
      for (String pattern :
          List.of(
              "?a prov:startedAtTime ?s ; prov:endedAtTime ?e FILTER (?s < ?e)",
              "?a prov:used ?e ; prov:startedAtTime ?s . ?e prov:generatedAtTime ?g FILTER (?g < ?s)",
              "?e prov:wasGeneratedBy ?a ; prov:generatedAtTime ?t . ?a prov:startedAtTime ?s"
                  + " FILTER (?s < ?t)",
              "?e2 prov:wasRevisionOf ?e1 ; prov:wasGeneratedBy ?a",
              "?a prov:qualifiedAssociation/prov:hadPlan ?p",
              "?x prov:specializationOf ?y")) {
        assertFalse(rows(record, "*", pattern).isEmpty(), "the history has " + pattern);
      }
      assertEquals(Map.of(), violations(record));
    }
  }

  /**
   * An escalation claimed and decided minutes apart; a blind disagreement a lead rules on later; a
   * drift alarm raised and cleared an hour apart; an SLO breach begun and ended; ground truth.
   */
  private TestStore recordWithTimePassing(TestStore graph) throws Exception {
    TestApp app =
        new TestApp(
            graph,
            List.of(new SeedFile("demo", Fixtures.resource("demo/models/demo-credit.yaml"))),
            List.of(new SeedFile("p", Fixtures.resource("demo/policies/demo-credit.yaml"))),
            clock);
    Caller rita = new Caller("rita", Set.of(Roles.REVIEWER)::contains);
    Caller rob = new Caller("rob", Set.of(Roles.REVIEWER)::contains);
    Caller leo = new Caller("leo", Set.of(Roles.REVIEWER, Roles.LEAD_REVIEWER)::contains);

    clock.advance(Duration.ofMinutes(1));
    String agreed = submit(app, Fixtures.request(40000, 56000, 0.2, "approve", 0.3)).id().value();
    String disputed =
        submit(app, Fixtures.request(60000, 200000, 0.1, "approve", 0.9)).id().value();
    clock.advance(Duration.ofMinutes(5));
    app.reviews.claim(agreed, rita);
    app.reviews.claim(disputed, rita);
    app.reviews.claim(disputed, rob);
    clock.advance(Duration.ofMinutes(10));
    app.reviews.verdict(agreed, rita, judged(Outcome.REJECT, "low-confidence"));
    // Blind (large-amount): the rule is cited by the alias drawn for the task.
    String alias = app.reviews.aliases(app.reviews.require(disputed, rita)).alias("large-amount");
    app.reviews.verdict(disputed, rita, judged(Outcome.APPROVE, alias));
    clock.advance(Duration.ofMinutes(3));
    app.reviews.verdict(disputed, rob, judged(Outcome.REJECT, alias));
    clock.advance(Duration.ofMinutes(30));
    app.reviews.adjudicate(disputed, leo, judged(Outcome.REJECT, alias));

    DriftMonitor drift =
        new DriftMonitor(
            app.registry,
            graph.writer,
            clock,
            TestStore.IRIS,
            new DriftSettings(10, 5, 0.2, 0.1, 0.2, 0.1, Duration.ofSeconds(1)));
    drift.start(new ProvDriftRecords(graph.store, TestStore.IRIS));
    app.decisions.driftFacts(drift::factsFor);
    app.decisions.onRecorded(drift::observe);
    ModelVersionRef model = new ModelVersionRef("demo-credit", "1");
    Fixtures.referenceInForce(drift, reference(model, 1, 1), "carol");
    clock.advance(Duration.ofMinutes(1));
    Decision last = null;
    for (int i = 0; i < 5; i++) {
      last = submit(app, Fixtures.request(45000, 56000, 0.95, "reject", 0.9));
    }
    assertTrue(drift.assess().get(0) instanceof DriftAlarm.Raised);
    clock.advance(Duration.ofHours(1));
    Fixtures.referenceInForce(drift, reference(model, 0, 1), "carol");
    for (int i = 0; i < 5; i++) {
      last = submit(app, Fixtures.request(45000, 56000, 0.95, "reject", 0.9));
    }
    assertTrue(drift.assess().get(0) instanceof DriftAlarm.Cleared);

    SloMonitor strict = slo(graph, "{min: 0.5, max: 1}");
    strict.onRecorded(last, clock.instant());
    assertTrue(strict.evaluate().get(0) instanceof SloBreach.Began);
    clock.advance(Duration.ofMinutes(20));
    SloMonitor lenient = slo(graph, "{min: 0, max: 1}");
    lenient.onRecorded(last, clock.instant());
    assertTrue(lenient.evaluate().get(0) instanceof SloBreach.Ended);

    clock.advance(Duration.ofDays(30));
    app.decisions.recordTruth(
        app.decisions.requireVisible(disputed, "integrator", true),
        new GroundTruth(
            Route.REJECT, Optional.empty(), clock.instant(), "integrator", clock.instant()),
        Optional.empty());
    clock.advance(Duration.ofDays(1));
    app.decisions.recordTruth(
        app.decisions.requireVisible(disputed, "integrator", true),
        new GroundTruth(
            Route.APPROVE, Optional.empty(), clock.instant(), "integrator", clock.instant()),
        Optional.of("repaid after all"));
    return graph;
  }

  private static Decision submit(TestApp app, io.arbiter.decision.DecisionRequest request) {
    return app.decisions.submit(request, "integrator", Optional.empty()).recorded().decision();
  }

  private static VerdictRequest judged(Outcome outcome, String rule) {
    return new VerdictRequest(outcome, "risk-assessed", List.of(rule), Optional.of("Judged."));
  }

  private SloMonitor slo(TestStore graph, String band) {
    SloMonitor monitor =
        new SloMonitor(
            ObjectivesParser.parse(
                "test",
                "objectives: [{id: band, kind: escalation-rate, band: "
                    + band
                    + ", window: PT1H, minEvents: 1}]"),
            graph.writer,
            clock,
            TestStore.IRIS);
    monitor.start(new ProvSloRecords(graph.store, TestStore.IRIS));
    return monitor;
  }

  private static ReferenceProfile reference(ModelVersionRef model, double low, double high) {
    var histogram = new Distribution.Histogram(List.of(0.0, 0.5, 1.0), List.of(low, high));
    return new ReferenceProfile(
        model, Map.of("riskScore", histogram, io.arbiter.policy.DriftFacts.SCORE, histogram));
  }

  // --- The checks catch what they are for: a valid record, tampered with one way at a time.

  private Model tampered;
  private Resource verdict;

  @BeforeEach
  void recordSmall() throws Exception {
    try (TestStore graph = new TestStore(dir.resolve("small"))) {
      TestApp app = TestApp.demo(graph);
      String task = submit(app, Fixtures.request(40000, 56000, 0.2, "approve", 0.3)).id().value();
      Caller rita = new Caller("rita", Set.of(Roles.REVIEWER)::contains);
      app.reviews.claim(task, rita);
      app.reviews.verdict(task, rita, judged(Outcome.REJECT, "low-confidence"));
      tampered = union(graph);
    }
    verdict = tampered.listSubjectsWithProperty(RDF.type, Vocab.Review).toList().get(0);
    assertEquals(Map.of(), violations(tampered));
  }

  private Resource generated() {
    return tampered.listSubjectsWithProperty(Vocab.Prov.wasGeneratedBy, verdict).next();
  }

  private static org.apache.jena.rdf.model.Literal time(Model model, String instant) {
    return model.createTypedLiteral(instant, org.apache.jena.datatypes.xsd.XSDDatatype.XSDdateTime);
  }

  @Test
  void anActivityEndingBeforeItStarts_isCaught() {
    tampered.removeAll(verdict, Vocab.Prov.endedAtTime, null);
    verdict.addLiteral(Vocab.Prov.endedAtTime, time(tampered, "2000-01-01T00:00:00Z"));
    assertTrue(violations(tampered).containsKey("start-precedes-end"));
  }

  @Test
  void anEntityUsedBeforeItWasGenerated_isCaught() {
    Resource task = verdict.getPropertyResourceValue(Vocab.Prov.used);
    tampered.removeAll(task, Vocab.Prov.generatedAtTime, null);
    task.addLiteral(Vocab.Prov.generatedAtTime, time(tampered, "2999-01-01T00:00:00Z"));
    assertTrue(violations(tampered).containsKey("generation-precedes-usage"));
  }

  @Test
  void anActivityThatIsAlsoAnEntity_isCaught() {
    // Used by another activity: by PROV-O's range of prov:used, it is an entity too.
    Resource routing = tampered.listSubjectsWithProperty(RDF.type, Vocab.Routing).next();
    verdict.addProperty(Vocab.Prov.used, routing);
    assertTrue(violations(tampered).containsKey("entity-activity-disjoint"));
  }

  @Test
  void anEntityGeneratedTwice_isCaught() {
    Resource outcome = generated();
    outcome.addLiteral(Vocab.Prov.generatedAtTime, time(tampered, "2999-01-01T00:00:00Z"));
    outcome.addProperty(
        Vocab.Prov.wasGeneratedBy,
        tampered.listSubjectsWithProperty(RDF.type, Vocab.Routing).next());
    Map<String, List<String>> found = violations(tampered);
    assertTrue(found.containsKey("one generation time"), found.toString());
    assertTrue(found.containsKey("one generating activity"), found.toString());
  }

  @Test
  void aRevisionOlderThanWhatItRevises_isCaught() {
    Resource outcome = generated();
    Resource decision = outcome.getPropertyResourceValue(Vocab.Prov.wasRevisionOf);
    decision.addLiteral(Vocab.Prov.generatedAtTime, time(tampered, "2999-01-01T00:00:00Z"));
    assertTrue(violations(tampered).containsKey("derivation-generation-generation-ordering"));
  }

  @Test
  void anAssociationWithoutItsUnqualifiedTwin_isCaught() {
    tampered.removeAll(verdict, Vocab.Prov.wasAssociatedWith, null);
    assertTrue(violations(tampered).containsKey("association's agent also unqualified"));
  }
}
