package io.arbiter.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.config.SeedFile;
import io.arbiter.decision.DecisionQuery;
import io.arbiter.decision.DecisionRequestParser;
import io.arbiter.decision.DecisionScope;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.GroundTruth;
import io.arbiter.monitor.HitlMetrics;
import io.arbiter.policy.Route;
import io.arbiter.problem.ProblemException;
import io.arbiter.security.Roles;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestClock;
import io.arbiter.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A moderation model with three outcomes, several labels recommending one, through the real
 * services: overrides, the justification rule, the review metrics (agreement, Fleiss' kappa over
 * three categories) and the HITL accuracy for the positive outcome follow the vocabulary. Every
 * expected figure is worked out by hand next to its assertion.
 */
class MultiClassVocabularyTest {

  private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

  private static final String MODEL =
      """
      name: moderator
      version: "1"
      description: Calls a post ok, borderline, spam or hate.
      owner: trust-and-safety
      """;

  private static final String POLICY =
      """
      id: moderation
      version: 1
      scope: {models: [moderator]}
      inputs: {length: number}
      vocabulary:
        outcomes: [keep, label, remove]
        labels: {ok: keep, borderline: label, spam: remove, hate: remove}
        positive: remove
      onReviewTimeout: label
      reasonCodes: [fine, context, abuse]
      rules:
        - id: two-look
          condition: "true"
          route: review
          review: {queue: moderation, reviewers: 2}
      """;

  @TempDir Path dir;
  private final TestClock clock = new TestClock(START);
  private TestStore graph;
  private TestApp app;

  @BeforeEach
  void open() throws Exception {
    graph = new TestStore(dir);
    app =
        new TestApp(
            graph,
            List.of(new SeedFile("moderator.yaml", MODEL)),
            List.of(new SeedFile("moderation.yaml", POLICY)),
            clock);
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private String submit(String label) {
    String body =
        """
        {"model": {"name": "moderator", "version": "1"}, "subject": "post-%s",
         "input": {"length": 120},
         "output": {"label": "%s", "score": 0.8, "confidence": 0.8}}"""
            .formatted(java.util.UUID.randomUUID(), label);
    return app.decisions
        .submit(
            DecisionRequestParser.parse(body.getBytes(StandardCharsets.UTF_8)),
            "integrator",
            Optional.empty())
        .recorded()
        .decision()
        .id()
        .value();
  }

  private static Caller reviewer(String name) {
    return new Caller(name, Set.of(Roles.REVIEWER)::contains);
  }

  private static Caller lead(String name) {
    return new Caller(name, Set.of(Roles.REVIEWER, Roles.LEAD_REVIEWER)::contains);
  }

  private static VerdictRequest says(String outcome, String justification) {
    return new VerdictRequest(
        new Outcome(outcome), "fine", List.of(), Optional.ofNullable(justification));
  }

  private ReviewTask give(String id, String reviewer, String outcome, String justification) {
    app.reviews.claim(id, reviewer(reviewer));
    return app.reviews.verdict(id, reviewer(reviewer), says(outcome, justification));
  }

  private void truth(String id, String outcome) {
    app.decisions.recordTruth(
        app.decisions.requireVisible(id, "integrator", true),
        new GroundTruth(
            new Route(outcome), Optional.empty(), clock.instant(), "integrator", clock.instant()),
        Optional.empty());
  }

  @Test
  void threeOutcomes_overridesAgreementKappaAndRecall_followTheVocabulary() {
    String spam = submit("spam"); // recommends remove
    String hate = submit("hate"); // recommends remove
    String ok = submit("ok"); // recommends keep
    clock.advance(Duration.ofMinutes(5));

    // Spam removed by both: it follows the model, so no justification is asked for.
    give(spam, "ann", "remove", null);
    ReviewTask removed = give(spam, "bob", "remove", null);
    assertEquals(new Outcome("remove"), removed.settlement().orElseThrow().outcome());
    assertFalse(removed.settlement().orElseThrow().overridesRecommendation());

    // Labelling hate goes against remove: without a justification it is refused, naming the field.
    app.reviews.claim(hate, reviewer("ann"));
    ProblemException unjustified =
        assertThrows(
            ProblemException.class,
            () -> app.reviews.verdict(hate, reviewer("ann"), says("label", null)));
    assertEquals("justification", unjustified.errors().get(0).field());
    // An outcome of another vocabulary is refused, naming the verdict.
    ProblemException approve =
        assertThrows(
            ProblemException.class,
            () -> app.reviews.verdict(hate, reviewer("ann"), says("approve", "x")));
    assertEquals("verdict", approve.errors().get(0).field());
    app.reviews.verdict(hate, reviewer("ann"), says("label", "Satire."));
    give(hate, "bob", "keep", "Quoting to condemn.");
    ReviewTask ruled =
        app.reviews.adjudicate(hate, lead("lea"), says("label", "Satire, label it."));
    assertTrue(ruled.settlement().orElseThrow().overridesRecommendation());

    // ok: one keeps, one removes; the lead keeps, as the model recommended.
    give(ok, "ann", "keep", null);
    give(ok, "bob", "remove", "Off-topic.");
    ReviewTask kept = app.reviews.adjudicate(ok, lead("lea"), says("keep", "It is fine."));
    assertFalse(kept.settlement().orElseThrow().overridesRecommendation());

    truth(spam, "remove");
    truth(hate, "remove");
    truth(ok, "keep");

    ReviewMetrics metrics =
        app.reviews.metrics(START, START.plus(Duration.ofDays(1)), DecisionScope.ALL);
    ReviewMetrics.Group all = metrics.overall();
    assertEquals(8, all.verdicts());
    // Against the model: ann's and bob's and lea's on hate, bob's remove on ok.
    assertEquals(4 / 8.0, all.overrideRate(), 1e-9);
    // Right: both on spam, ann's and lea's keep on ok.
    assertEquals(4 / 8.0, all.accuracy(), 1e-9);
    // spam [keep 0, label 0, remove 2], hate [1, 1, 0], ok [1, 0, 1]: mean agreement 1/3;
    // shares 2/6, 1/6, 3/6, chance 14/36; kappa (1/3 − 7/18) / (1 − 7/18) = −1/11.
    assertEquals(-1 / 11.0, all.fleissKappa(), 1e-9);
    assertEquals(1 / 3.0, metrics.byReviewer().get("ann").overrideRate(), 1e-9); // label on hate
    assertEquals(2 / 3.0, metrics.byReviewer().get("bob").overrideRate(), 1e-9); // keep, remove
    assertEquals(1 / 2.0, metrics.byReviewer().get("lea").overrideRate(), 1e-9); // label on hate
    // ann and bob: (remove, remove), (label, keep), (keep, remove): agreement 1/3.
    ReviewMetrics.Pair pair = metrics.pairs().get(0);
    assertEquals(List.of("ann", "bob"), List.of(pair.first(), pair.second()));
    assertEquals(1 / 3.0, pair.agreement(), 1e-9);

    List<DecisionSummary> summaries = new ArrayList<>();
    app.decisions.forEachSummary(DecisionQuery.all(), summaries::add);
    HitlMetrics hitl =
        HitlMetrics.of(
            START,
            START.plus(Duration.ofDays(1)),
            Optional.empty(),
            Optional.empty(),
            summaries,
            d ->
                new HitlMetrics.PolicyTerms(
                    io.arbiter.policy.Abstention.DEFAULT, app.decisions.vocabularyOf(d)));
    assertEquals(1 / 3.0, hitl.overrideRate(), 1e-9); // hate, of three settled
    // Reviewed (decided, true): (remove, remove), (label, remove), (keep, keep). Positive remove:
    // one removed, rightly; two deserved removal, one was.
    HitlMetrics.Accuracy reviewed = hitl.reviewedAgainstOutcomes();
    assertEquals("remove", reviewed.positiveClass());
    assertEquals(2 / 3.0, reviewed.accuracy(), 1e-9);
    assertEquals(1.0, reviewed.precision(), 1e-9);
    assertEquals(1 / 2.0, reviewed.recall(), 1e-9);
  }
}
