package io.arbiter.graph.prov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.config.SeedFile;
import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionRequestParser;
import io.arbiter.decision.DecisionService;
import io.arbiter.drift.Distribution;
import io.arbiter.drift.DriftAlarm;
import io.arbiter.drift.DriftMonitor;
import io.arbiter.drift.DriftSettings;
import io.arbiter.drift.ReferenceProfile;
import io.arbiter.policy.PolicyTransition;
import io.arbiter.policy.RuleKind;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.review.Caller;
import io.arbiter.review.Outcome;
import io.arbiter.review.ReviewAssignment;
import io.arbiter.review.ReviewEvent;
import io.arbiter.review.ReviewService;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.jena.graph.Graph;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;
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
  // A hand-moved clock, so that the review SLAs escalate and time out tasks without waiting.
  private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
  private TestStore graph;
  private DecisionService decisions;
  private ReviewService reviews;

  /** Escalation of a low-confidence decision, settled by one reviewer (a consensus of one). */
  private String agreedTask;

  /** Escalation of a large amount: two blind reviewers disagree and a lead rules. */
  private String disputedTask;

  @BeforeEach
  void record() throws Exception {
    graph = new TestStore(dir);
    TestApp app =
        new TestApp(
            graph,
            List.of(
                new SeedFile("demo", Fixtures.resource("demo/models/demo-credit.yaml")),
                new SeedFile("ungoverned", "name: ungoverned\nversion: 2\n")),
            List.of(new SeedFile("p", Fixtures.resource("demo/policies/demo-credit.yaml"))),
            clock);
    decisions = app.decisions;
    reviews = app.reviews;
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

    List<Decision> routed =
        List.of(
            submit(
                Fixtures.request(12000, 56000, 0.1, "approve", 0.9),
                Optional.of(new Decision.Idempotency("k", "sha256:" + "ab".repeat(32)))),
            submit(Fixtures.request(90000, 56000, 0.95, "reject", 0.9), Optional.empty()),
            submit(Fixtures.request(40000, 56000, 0.2, "approve", 0.3), Optional.empty()),
            submit(Fixtures.request(30000, 40000, 0.5, "approve", 0.9), Optional.empty()),
            submit(
                parse(
                    """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "no-risk", "input": {"amount": 10},
         "output": {"label": "approve", "score": 1, "confidence": 0.9}}"""),
                Optional.empty()),
            submit(
                parse(
                    """
        {"model": {"name": "ungoverned", "version": "2"}, "subject": "orphan", "input": {"flag": true, "tags": ["x"]},
         "output": {"label": "yes", "score": 1, "confidence": 1}}"""),
                Optional.empty()));
    Set<RuleKind> kinds = new HashSet<>();
    routed.forEach(d -> kinds.add(d.evaluation().kind()));
    assertEquals(
        Set.of(RuleKind.RULE, RuleKind.GUARDRAIL, RuleKind.DEFAULT, RuleKind.FAIL_SAFE),
        kinds,
        "the fixture covers every way a decision is routed");
    app.policies.transition(policy, "2", PolicyTransition.ACTIVATE, "bob", Optional.empty());
    Decision sampled = submit(Fixtures.request(1000, 56000, 0.1, "approve", 0.9), Optional.empty());
    assertTrue(sampled.qaSampled(), "version 2 samples every automated decision");
    app.policies.register(Fixtures.demoPolicyText("3", 20000), "alice");
    app.policies.transition(policy, "3", PolicyTransition.RETIRE, "bob", Optional.empty());

    agreedTask = routed.get(2).id().value(); // the low-confidence guardrail
    disputedTask =
        submit(Fixtures.request(60000, 200000, 0.1, "approve", 0.9), Optional.empty())
            .id()
            .value(); // large-amount: two blind reviewers
    review(routed.get(3).id().value(), ReviewAssignment.qaTaskId(sampled.id()));
    drift(app);
    registry(app);
    awaitingApproval(app);
  }

  /** A decision by a version registered as requiring an approval it does not have yet. */
  private void awaitingApproval(TestApp app) {
    app.registry.register(
        io.arbiter.registry.ModelVersion.parse(
            json("{\"name\": \"demo-credit\", \"version\": \"8\", \"approvalRequired\": true}")),
        "steward");
    Decision gated =
        submit(
            parse(
                Fixtures.requestJson(1000, 56000, 0.1, "approve", 0.9)
                    .replace("\"version\": \"1\"", "\"version\": \"8\"")),
            Optional.empty());
    assertTrue(gated.modelUnapproved(), "the fixture");
  }

  /** A source, a dataset version built from it, a feature, and a model version trained on it. */
  private void registry(TestApp app) {
    var data = app.registry.data();
    data.register(
        io.arbiter.registry.DataEntries.source(
            json(
                "{\"id\": \"bureau\", \"title\": \"Bureau\", \"fields\": [{\"name\": \"score\"}]}")),
        "steward");
    data.register(
        io.arbiter.registry.DataEntries.dataset(json("{\"id\": \"loans\", \"title\": \"Loans\"}")),
        "steward");
    data.register(
        io.arbiter.registry.DataEntries.datasetVersion(
            json(
                "{\"dataset\": \"loans\", \"version\": \"1\", \"contentHash\": \"sha256:"
                    + "cd".repeat(32)
                    + "\", \"schema\": {\"columns\": [\"score\"]}, \"derivedFrom\": [\"bureau\"],"
                    + " \"coverage\": {\"from\": \"2025-01-01T00:00:00Z\"},"
                    + " \"createdAt\": \"2026-01-01T00:00:00Z\"}")),
        "steward");
    data.register(
        io.arbiter.registry.DataEntries.feature(
            json(
                "{\"name\": \"riskScore\", \"definition\": \"score\", \"derivedFrom\":"
                    + " [{\"source\": \"bureau\", \"field\": \"score\"}]}")),
        "steward");
    var model =
        io.arbiter.registry.ModelVersion.parse(
            json(
                "{\"name\": \"demo-credit\", \"version\": \"9\", \"trainedOn\":"
                    + " [{\"dataset\": \"loans\", \"version\": \"1\"}], \"training\":"
                    + " {\"startedAt\": \"2026-02-01T00:00:00Z\", \"endedAt\":"
                    + " \"2026-02-02T00:00:00Z\", \"by\": \"trainer\", \"hyperParameters\":"
                    + " {\"depth\": 4}}, \"metrics\": {\"auc\": 0.8}, \"features\":"
                    + " [\"riskScore\"], \"intendedUse\": \"tests\"}"));
    app.registry.register(model, "steward");
    app.registry.approve(model.ref(), "paula", Optional.of("fine"));
  }

  private static jakarta.json.JsonObject json(String text) {
    return io.arbiter.event.Jsonp.STRICT_READERS
        .createReader(new java.io.StringReader(text))
        .readObject();
  }

  /**
   * A drift alarm raised and cleared, with a decision made during it: a monitor with windows of
   * ten, fed high-risk rejections (automated, so no review tasks) against a reference that expects
   * risk and score spread evenly, then a reference that expects what they are.
   */
  private void drift(TestApp app) {
    DriftMonitor drift =
        new DriftMonitor(
            app.registry,
            graph.writer,
            clock,
            TestStore.IRIS,
            new DriftSettings(10, 5, 0.2, 0.1, 0.2, 0.1, java.time.Duration.ofSeconds(1)));
    drift.start(new ProvDriftRecords(graph.store, TestStore.IRIS));
    decisions.driftFacts(drift::factsFor);
    decisions.onRecorded(drift::observe);
    ModelVersionRef model = new ModelVersionRef("demo-credit", "1");
    Fixtures.referenceInForce(drift, reference(model, 1, 1), "carol");
    for (int i = 0; i < 5; i++) {
      submit(Fixtures.request(45000, 56000, 0.95, "reject", 0.9), Optional.empty());
    }
    assertTrue(drift.assess().get(0) instanceof DriftAlarm.Raised);
    Decision during = submit(Fixtures.request(45000, 56000, 0.95, "reject", 0.9), Optional.empty());
    assertTrue(during.drift().alarmed());
    Fixtures.referenceInForce(drift, reference(model, 0, 1), "carol");
    for (int i = 0; i < 5; i++) {
      submit(Fixtures.request(45000, 56000, 0.95, "reject", 0.9), Optional.empty());
    }
    assertTrue(drift.assess().get(0) instanceof DriftAlarm.Cleared);

    // An objective that wants at least half the decisions escalated, met by none: a breach; then
    // the same objective with a band that takes anything: the breach ends.
    SloMonitor strict = slo("{min: 0.5, max: 1}");
    strict.onRecorded(during, clock.instant());
    assertTrue(strict.evaluate().get(0) instanceof SloBreach.Began);
    SloMonitor lenient = slo("{min: 0, max: 1}");
    lenient.onRecorded(during, clock.instant());
    assertTrue(lenient.evaluate().get(0) instanceof SloBreach.Ended);
  }

  private SloMonitor slo(String band) {
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
    return new ReferenceProfile(
        model,
        java.util.Map.of(
            "riskScore",
            new Distribution.Histogram(List.of(0.0, 0.5, 1.0), List.of(low, high)),
            io.arbiter.policy.DriftFacts.SCORE,
            new Distribution.Histogram(List.of(0.0, 0.5, 1.0), List.of(low, high))));
  }

  /**
   * Every review step, through the review service: a consensus of one that overrides the model, a
   * blind disagreement a lead settles, a QA finding, a claim given back, and the SLA clock
   * escalating and then failing safe the two fail-safe escalations nobody worked on.
   */
  private void review(String generalTask, String qaTask) {
    Caller rita = new Caller("rita", Set.of(Roles.REVIEWER)::contains);
    Caller rob = new Caller("rob", Set.of(Roles.REVIEWER)::contains);
    Caller leo = new Caller("leo", Set.of(Roles.REVIEWER, Roles.LEAD_REVIEWER)::contains);

    reviews.claim(agreedTask, rita);
    reviews.verdict(
        agreedTask,
        rita,
        new VerdictRequest(
            Outcome.REJECT,
            "income-unverified",
            List.of("low-confidence"),
            Optional.of("Income could not be verified.")));

    reviews.claim(disputedTask, rita);
    reviews.claim(disputedTask, rob);
    reviews.verdict(disputedTask, rita, judged(disputedTask, Outcome.APPROVE, "Income covers it."));
    reviews.verdict(
        disputedTask, rob, judged(disputedTask, Outcome.REJECT, "Too large for the file."));
    reviews.adjudicate(
        disputedTask, leo, judged(disputedTask, Outcome.REJECT, "Exposure too high."));

    reviews.claim(qaTask, rita);
    reviews.verdict(
        qaTask,
        rita,
        new VerdictRequest(
            Outcome.APPROVE,
            "income-verified",
            aliasesIn(qaTask, "affordable-low-risk"), // by its alias: a QA review is blind
            Optional.of("Clearly affordable.")));

    // The default route's task (general queue, 24 hours) is taken, then given back.
    reviews.claim(generalTask, rob);
    reviews.release(generalTask, rob);

    // Fail-safe escalations have 4 hours: escalated at 3, timed out at 4.
    clock.advance(Duration.ofHours(3));
    assertEquals(
        Set.of(ReviewEvent.Escalated.TYPE), types(reviews.sweep()), "escalated at 75% of the SLA");
    clock.advance(Duration.ofHours(1));
    assertEquals(Set.of(ReviewEvent.TimedOut.TYPE), types(reviews.sweep()), "timed out at the SLA");

    // Later the truth comes out for the disputed loan.
    decisions.recordTruth(
        decisions.requireVisible(disputedTask, "integrator", true),
        new io.arbiter.decision.GroundTruth(
            io.arbiter.policy.Route.REJECT,
            Optional.of("defaulted after three months"),
            clock.instant(),
            "integrator",
            clock.instant()),
        Optional.empty());
    // And is corrected: a revision of that outcome, with its reason.
    clock.advance(Duration.ofMinutes(5));
    decisions.recordTruth(
        decisions.requireVisible(disputedTask, "integrator", true),
        new io.arbiter.decision.GroundTruth(
            io.arbiter.policy.Route.APPROVE,
            Optional.empty(),
            clock.instant(),
            "integrator",
            clock.instant()),
        Optional.of("the default was a bank error, reversed"));
    // The hours of intake, over by now, are tallied.
    clock.advance(Duration.ofHours(3));
    assertTrue(decisions.tallyClosedHours() > 0, "no hour was tallied");
  }

  /** A verdict on the blind large-amount task: it cites the rule by the alias drawn for it. */
  private VerdictRequest judged(String task, Outcome outcome, String justification) {
    return new VerdictRequest(
        outcome, "risk-assessed", aliasesIn(task, "large-amount"), Optional.of(justification));
  }

  /** The aliases of {@code rules} in the blind task {@code task}. */
  private List<String> aliasesIn(String task, String... rules) {
    Caller anyone = new Caller("rita", Set.of(Roles.REVIEWER)::contains);
    return reviews.aliases(reviews.require(task, anyone)).aliases(List.of(rules));
  }

  private static Set<String> types(List<ReviewEvent> events) {
    assertFalse(events.isEmpty(), "the sweep recorded nothing");
    Set<String> types = new HashSet<>();
    events.forEach(e -> types.add(e.type()));
    return types;
  }

  private Decision submit(
      io.arbiter.decision.DecisionRequest request, Optional<Decision.Idempotency> key) {
    return decisions.submit(request, "integrator", key).recorded().decision();
  }

  private static io.arbiter.decision.DecisionRequest parse(String json) {
    return DecisionRequestParser.parse(json.getBytes());
  }

  @AfterEach
  void close() {
    graph.close();
  }

  /** The store holding the history, for other checks of it ({@link ProvConstraintsTest}). */
  TestStore store() {
    return graph;
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
            "model.approved",
            "registry.source-registered",
            "registry.dataset-registered",
            "registry.dataset-version-registered",
            "registry.feature-registered",
            "policy.registered",
            "policy.approved",
            "policy.shadowed",
            "policy.activated",
            "policy.retired",
            "decision.submitted",
            ReviewEvent.Claimed.TYPE,
            ReviewEvent.Released.TYPE,
            ReviewEvent.VerdictGiven.TYPE,
            ReviewEvent.Adjudicated.TYPE,
            ReviewEvent.Escalated.TYPE,
            ReviewEvent.TimedOut.TYPE,
            io.arbiter.decision.GroundTruth.Recorded.TYPE,
            io.arbiter.decision.SubmissionHour.Indexed.TYPE,
            io.arbiter.decision.SubmissionHour.Tallied.TYPE,
            ReferenceProfile.Registered.TYPE,
            DriftAlarm.Raised.TYPE,
            DriftAlarm.Cleared.TYPE,
            SloBreach.Began.TYPE,
            SloBreach.Ended.TYPE),
        types);
    // Every way a review ends, so that every branch of the outcome shapes is exercised.
    Set<String> settled = new HashSet<>();
    union
        .listSubjectsWithProperty(RDF.type, Vocab.ReviewedDecision)
        .forEachRemaining(r -> settled.add(r.getProperty(Vocab.settledBy).getString()));
    assertEquals(Set.of("consensus", "adjudication", "timeout"), settled);
    assertTrue(union.contains(null, RDF.type, Vocab.QaFinding), "a QA finding");
    ValidationReport report = ShaclValidator.get().validate(SHAPES, union.getGraph());
    assertTrue(report.conforms(), report(report));
  }

  /**
   * The demo's approve and reject swapped for another vocabulary's outcomes (benign, malignant) in
   * every route, verdict, ground truth and recommendation: what a screening model's store holds.
   * Not the timeouts of decisions no policy governed: those fail safe to reject whatever the model.
   */
  private Model inAnotherVocabulary(String outcomesAt) {
    Model union = union();
    Set<Resource> planless =
        union.listSubjectsWithProperty(Vocab.settledBy, "timeout").toList().stream()
            .filter(
                settled -> {
                  Resource routing =
                      settled
                          .getPropertyResourceValue(Vocab.Prov.wasRevisionOf)
                          .getPropertyResourceValue(Vocab.routedBy);
                  Resource association =
                      routing == null
                          ? null
                          : routing.getPropertyResourceValue(Vocab.Prov.qualifiedAssociation);
                  return association == null || !association.hasProperty(Vocab.Prov.hadPlan);
                })
            .collect(java.util.stream.Collectors.toSet());
    Map<RDFNode, RDFNode> swaps =
        Map.of(
            Vocab.RouteApprove,
            union.createResource(outcomesAt + "benign"),
            Vocab.RouteReject,
            union.createResource(outcomesAt + "malignant"),
            union.createLiteral("approve"),
            union.createLiteral("benign"),
            union.createLiteral("reject"),
            union.createLiteral("malignant"));
    List<Statement> swapped =
        union.listStatements().toList().stream()
            .filter(t -> swaps.containsKey(t.getObject()))
            .filter(t -> !planless.contains(t.getSubject()))
            .filter(
                t -> t.getObject().isURIResource() || t.getPredicate().equals(Vocab.recommendation))
            .toList();
    for (Statement t : swapped) {
      union.remove(t);
      union.add(t.getSubject(), t.getPredicate(), swaps.get(t.getObject()));
    }
    assertTrue(swapped.size() > 10, "routes, verdicts and truths swapped: " + swapped.size());
    return union;
  }

  @Test
  void shapes_takeTheOutcomesOfAnyVocabulary_andOnlyOutcomes() {
    String decision = union().listSubjectsWithProperty(RDF.type, Vocab.Decision).next().getURI();
    String base = decision.substring(0, decision.indexOf("decisions/"));
    ValidationReport screening =
        ShaclValidator.get().validate(SHAPES, inAnotherVocabulary(base + "outcomes/").getGraph());
    assertTrue(screening.conforms(), report(screening));
    ValidationReport elsewhere =
        ShaclValidator.get().validate(SHAPES, inAnotherVocabulary(base + "agents/").getGraph());
    assertFalse(elsewhere.conforms(), "an IRI that names no outcome is no route");
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

  /**
   * Tampers with the record as a forger would: the {@code stepClass} step {@code from} took on the
   * task is handed to {@code to}, in both the unqualified and the qualified association.
   */
  private static void reassign(
      Model union, String taskId, Resource stepClass, String from, String to) {
    Resource task = union.getResource(TestStore.IRIS.review(taskId));
    Resource original = union.getResource(TestStore.IRIS.agent(from));
    Resource step =
        union
            .listSubjectsWithProperty(Vocab.Prov.used, task)
            .filterKeep(s -> s.hasProperty(RDF.type, stepClass))
            .filterKeep(s -> s.hasProperty(Vocab.Prov.wasAssociatedWith, original))
            .next();
    Resource association = step.getPropertyResourceValue(Vocab.Prov.qualifiedAssociation);
    Resource person = union.getResource(TestStore.IRIS.agent(to));
    // Typed as a person, as the mapper types reviewers: only separation of duties is broken.
    union.add(person, RDF.type, Vocab.Prov.Person);
    union.removeAll(step, Vocab.Prov.wasAssociatedWith, null);
    union.removeAll(association, Vocab.Prov.agent, null);
    union.add(step, Vocab.Prov.wasAssociatedWith, person);
    union.add(association, Vocab.Prov.agent, person);
  }

  /** The violations whose message contains {@code text}, after checking nothing else broke. */
  private static List<ReportEntry> violations(Model union, String text) {
    ValidationReport report = ShaclValidator.get().validate(SHAPES, union.getGraph());
    List<ReportEntry> all = List.copyOf(report.getEntries());
    List<ReportEntry> matching = all.stream().filter(e -> e.message().contains(text)).toList();
    assertEquals(all, matching, report(report));
    return matching;
  }

  private static Set<String> focusNodes(List<ReportEntry> entries) {
    Set<String> nodes = new HashSet<>();
    entries.forEach(e -> nodes.add(e.focusNode().getURI()));
    return nodes;
  }

  @Test
  void shapes_catchADecisionReviewedOrAdjudicatedByItsSubmitter() {
    Model union = union();
    reassign(union, agreedTask, Vocab.Review, "rita", "integrator");
    reassign(union, disputedTask, Vocab.Adjudication, "leo", "integrator");
    List<ReportEntry> found = violations(union, "submitted the decision under review");
    assertEquals(
        Set.of(TestStore.IRIS.review(agreedTask), TestStore.IRIS.review(disputedTask)),
        focusNodes(found));
  }

  @Test
  void shapes_catchTwoReviewsOfOneTaskByOnePerson() {
    Model union = union();
    reassign(union, disputedTask, Vocab.Review, "rob", "rita");
    List<ReportEntry> found = violations(union, "gave more than one review on this task");
    assertEquals(Set.of(TestStore.IRIS.review(disputedTask)), focusNodes(found));
    assertEquals(TestStore.IRIS.agent("rita"), found.get(0).value().getURI());
  }

  @Test
  void shapes_catchAnAdjudicatorWhoAlsoReviewed() {
    Model union = union();
    reassign(union, disputedTask, Vocab.Adjudication, "leo", "rob");
    List<ReportEntry> found = violations(union, "adjudicated this task but also gave one");
    assertEquals(Set.of(TestStore.IRIS.review(disputedTask)), focusNodes(found));
    assertEquals(TestStore.IRIS.agent("rob"), found.get(0).value().getURI());
  }

  @Test
  void shapes_catchAnHourThatIsNotAnHourLong() {
    Model union = union();
    var hour = union.listSubjectsWithProperty(RDF.type, Vocab.SubmissionHour).next();
    var start = java.time.Instant.parse(hour.getProperty(Vocab.hourStart).getString());
    union.removeAll(hour, Vocab.hourEnd, null);
    union.add(
        hour,
        Vocab.hourEnd,
        union.createTypedLiteral(
            start.plusSeconds(7200).toString(),
            org.apache.jena.datatypes.xsd.XSDDatatype.XSDdateTime));
    List<ReportEntry> found = violations(union, "An hour ends one hour after it starts.");
    assertEquals(Set.of(hour.getURI()), focusNodes(found));
  }

  @Test
  void shapes_catchATallyWhoseCellsDoNotAddUp() {
    Model union = union();
    var tally = union.listSubjectsWithProperty(RDF.type, Vocab.HourTally).next();
    var cell = tally.getPropertyResourceValue(Vocab.hasCell);
    long count = cell.getProperty(Vocab.decisionCount).getLong();
    union.removeAll(cell, Vocab.decisionCount, null);
    union.add(
        cell,
        Vocab.decisionCount,
        union.createTypedLiteral(
            String.valueOf(count + 1), org.apache.jena.datatypes.xsd.XSDDatatype.XSDinteger));
    List<ReportEntry> found = violations(union, "cells must add up");
    assertEquals(Set.of(tally.getURI()), focusNodes(found));
  }

  @Test
  void shapes_catchACorrectionWithoutItsReasonAndASecondTruthOutsideTheChain() {
    Model union = union();
    Resource correction =
        union.listSubjectsWithProperty(RDF.type, Vocab.GroundTruth).toList().stream()
            .filter(t -> t.hasProperty(Vocab.Prov.wasRevisionOf))
            .findFirst()
            .orElseThrow();
    union.removeAll(correction, Vocab.correctionReason, null);
    assertEquals(
        Set.of(correction.getURI()),
        focusNodes(violations(union, "a correction without its revision, reason")));

    Model twice = union();
    Resource first =
        twice.getResource(
            twice.listSubjectsWithProperty(RDF.type, Vocab.GroundTruth).toList().stream()
                .filter(t -> t.hasProperty(Vocab.Prov.wasRevisionOf))
                .findFirst()
                .orElseThrow()
                .getPropertyResourceValue(Vocab.Prov.wasRevisionOf)
                .getURI());
    Resource rival = twice.createResource(first.getURI() + "/rival");
    first
        .listProperties()
        .toList()
        .forEach(st -> twice.add(rival, st.getPredicate(), st.getObject()));
    assertTrue(
        focusNodes(violations(twice, "another ground truth outside the chain"))
            .contains(rival.getURI()));
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
