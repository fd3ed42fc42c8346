package io.arbiter.monitor;

import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.GroundTruth;
import io.arbiter.decision.Resolution;
import io.arbiter.policy.Abstention;
import io.arbiter.policy.DefaultRoute;
import io.arbiter.policy.OutcomeVocabulary;
import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import io.arbiter.review.LongSample;
import io.arbiter.review.ReviewMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The quality of human-in-the-loop routing over a window of decisions: how much is automated and
 * escalated, how often policies fail safe or fall through to their default, how often humans
 * override the model, how long they make integrators wait, and — where outcomes were recorded — how
 * right automated and reviewed decisions were, precision and recall for the positive outcome each
 * decision's policy declares (approve in the demo vocabulary). Pure: computed from decision
 * summaries. Rates are null when there was nothing to measure.
 */
public record HitlMetrics(
    Instant from,
    Instant to,
    String model,
    String policy,
    int decisions,
    int automated,
    int escalated,
    Double automationRate,
    Double escalationRate,
    int abstained,
    Double abstentionRate,
    int machineTimed,
    Long medianMachineMillis,
    Long p95MachineMillis,
    int failSafe,
    Double failSafeRate,
    Double defaultRouteShare,
    Map<String, Integer> byRule,
    int settled,
    int timedOut,
    Double overrideRate,
    Long medianHumanWaitSeconds,
    Long p95HumanWaitSeconds,
    Accuracy automatedAgainstOutcomes,
    Accuracy reviewedAgainstOutcomes) {

  /**
   * Decisions judged against what they should have been.
   *
   * @param positiveClass the outcome precision and recall are for: the positive outcome the policy
   *     versions of these decisions declare (approve when they declare no vocabulary); null when
   *     they declare different ones (each decision is still judged for its own) or none was judged
   * @param precision of those decided positive, the share that should have been
   * @param recall of those that should have been positive, the share that were
   */
  public record Accuracy(
      int withOutcome, String positiveClass, Double accuracy, Double precision, Double recall) {

    /** Each element: the outcome decided, the outcome it should have been, the positive one. */
    static Accuracy of(List<Route[]> decidedTrueAndPositive) {
      int correct = 0;
      int positive = 0;
      int positiveRightly = 0;
      int shouldBePositive = 0;
      java.util.Set<Route> positives = new java.util.HashSet<>();
      for (Route[] judged : decidedTrueAndPositive) {
        boolean decidedPositive = judged[0].equals(judged[2]);
        boolean truePositive = judged[1].equals(judged[2]);
        positives.add(judged[2]);
        correct += judged[0].equals(judged[1]) ? 1 : 0;
        positive += decidedPositive ? 1 : 0;
        shouldBePositive += truePositive ? 1 : 0;
        positiveRightly += decidedPositive && truePositive ? 1 : 0;
      }
      return new Accuracy(
          decidedTrueAndPositive.size(),
          positives.size() == 1 ? positives.iterator().next().wireName() : null,
          ReviewMetrics.rate(correct, decidedTrueAndPositive.size()),
          ReviewMetrics.rate(positiveRightly, positive),
          ReviewMetrics.rate(positiveRightly, shouldBePositive));
    }
  }

  /**
   * What the policy version that routed a decision says about judging it.
   *
   * @param abstention when the model counts as having abstained
   * @param vocabulary its outcomes, with the positive one for precision and recall
   */
  public record PolicyTerms(Abstention abstention, OutcomeVocabulary vocabulary) {
    /** For a decision no policy routed, or one whose version declares neither. */
    public static final PolicyTerms DEFAULT =
        new PolicyTerms(Abstention.DEFAULT, OutcomeVocabulary.DEFAULT);
  }

  public static HitlMetrics of(
      Instant from,
      Instant to,
      Optional<String> model,
      Optional<String> policy,
      Iterable<DecisionSummary> summaries,
      Function<DecisionSummary, PolicyTerms> termsOf) {
    int decisions = 0;
    int automated = 0;
    int escalated = 0;
    int failSafe = 0;
    int toDefault = 0;
    int settled = 0;
    int timedOut = 0;
    int overridden = 0;
    Map<String, Integer> byRule = new TreeMap<>();
    int abstained = 0;
    LongSample waits = new LongSample();
    LongSample machine = new LongSample();
    List<Route[]> automatedJudged = new ArrayList<>();
    List<Route[]> reviewedJudged = new ArrayList<>();
    // A Route checks its name when made; a window has a hundred thousand decisions, a few outcomes.
    Map<String, Route> positives = new java.util.HashMap<>();
    for (DecisionSummary d : summaries) {
      if (policy.isPresent() && !d.policy().map(p -> p.id().equals(policy.get())).orElse(false)) {
        continue;
      }
      decisions++;
      PolicyTerms terms = termsOf.apply(d);
      Route positive = positives.computeIfAbsent(terms.vocabulary().positive(), Route::new);
      if (terms.abstention().abstains(d.label(), d.confidence())) {
        abstained++;
      }
      d.intakeTime().ifPresent(t -> machine.add(t.toMillis()));
      d.ruleId().ifPresent(rule -> byRule.merge(rule, 1, Integer::sum));
      if (d.ruleKind() == RuleKind.FAIL_SAFE) {
        failSafe++;
      }
      if (d.ruleKind() == RuleKind.DEFAULT || d.ruleId().equals(Optional.of(DefaultRoute.ID))) {
        toDefault++;
      }
      Optional<GroundTruth> truth = d.truth();
      if (d.route().automated()) {
        automated++;
        truth.ifPresent(t -> automatedJudged.add(new Route[] {d.route(), t.correct(), positive}));
        continue;
      }
      escalated++;
      if (d.resolution().isPresent()) {
        Resolution r = d.resolution().get();
        settled++;
        timedOut += r.failSafe() ? 1 : 0;
        overridden += r.overridesRecommendation() && !r.failSafe() ? 1 : 0;
        waits.add(Duration.between(d.submittedAt(), r.at()).toSeconds());
        truth.ifPresent(t -> reviewedJudged.add(new Route[] {r.outcome(), t.correct(), positive}));
      }
    }
    return new HitlMetrics(
        from,
        to,
        model.orElse(null),
        policy.orElse(null),
        decisions,
        automated,
        escalated,
        ReviewMetrics.rate(automated, decisions),
        ReviewMetrics.rate(escalated, decisions),
        abstained,
        ReviewMetrics.rate(abstained, decisions),
        machine.size(),
        machine.percentile(0.5),
        machine.percentile(0.95),
        failSafe,
        ReviewMetrics.rate(failSafe, decisions),
        ReviewMetrics.rate(toDefault, decisions),
        byRule,
        settled,
        timedOut,
        ReviewMetrics.rate(overridden, settled - timedOut),
        waits.percentile(0.5),
        waits.percentile(0.95),
        Accuracy.of(automatedJudged),
        Accuracy.of(reviewedJudged));
  }
}
