package io.arbiter.monitor;

import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.GroundTruth;
import io.arbiter.decision.Resolution;
import io.arbiter.policy.Abstention;
import io.arbiter.policy.DefaultRoute;
import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
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
 * right automated and reviewed decisions were (approve is the positive class). Pure: computed from
 * decision summaries. Rates are null when there was nothing to measure.
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
   * @param precision of those approved, the share that should have been
   * @param recall of those that should have been approved, the share that were
   */
  public record Accuracy(int withOutcome, Double accuracy, Double precision, Double recall) {

    static Accuracy of(List<Route[]> decidedAndTrue) {
      int correct = 0;
      int approved = 0;
      int approvedRightly = 0;
      int shouldApprove = 0;
      for (Route[] pair : decidedAndTrue) {
        boolean approve = pair[0] == Route.APPROVE;
        boolean truthApprove = pair[1] == Route.APPROVE;
        correct += pair[0] == pair[1] ? 1 : 0;
        approved += approve ? 1 : 0;
        shouldApprove += truthApprove ? 1 : 0;
        approvedRightly += approve && truthApprove ? 1 : 0;
      }
      return new Accuracy(
          decidedAndTrue.size(),
          ReviewMetrics.rate(correct, decidedAndTrue.size()),
          ReviewMetrics.rate(approvedRightly, approved),
          ReviewMetrics.rate(approvedRightly, shouldApprove));
    }
  }

  public static HitlMetrics of(
      Instant from,
      Instant to,
      Optional<String> model,
      Optional<String> policy,
      Iterable<DecisionSummary> summaries,
      Function<DecisionSummary, Abstention> abstentionOf) {
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
    List<Long> waits = new ArrayList<>();
    List<Long> machine = new ArrayList<>();
    List<Route[]> automatedJudged = new ArrayList<>();
    List<Route[]> reviewedJudged = new ArrayList<>();
    for (DecisionSummary d : summaries) {
      if (policy.isPresent() && !d.policy().map(p -> p.id().equals(policy.get())).orElse(false)) {
        continue;
      }
      decisions++;
      if (abstentionOf.apply(d).abstains(d.label(), d.confidence())) {
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
        truth.ifPresent(t -> automatedJudged.add(new Route[] {d.route(), t.correct()}));
        continue;
      }
      escalated++;
      if (d.resolution().isPresent()) {
        Resolution r = d.resolution().get();
        settled++;
        timedOut += r.failSafe() ? 1 : 0;
        overridden += r.overridesRecommendation() && !r.failSafe() ? 1 : 0;
        waits.add(Duration.between(d.submittedAt(), r.at()).toSeconds());
        truth.ifPresent(t -> reviewedJudged.add(new Route[] {r.outcome(), t.correct()}));
      }
    }
    waits.sort(null);
    machine.sort(null);
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
        ReviewMetrics.percentile(machine, 0.5),
        ReviewMetrics.percentile(machine, 0.95),
        failSafe,
        ReviewMetrics.rate(failSafe, decisions),
        ReviewMetrics.rate(toDefault, decisions),
        byRule,
        settled,
        timedOut,
        ReviewMetrics.rate(overridden, settled - timedOut),
        ReviewMetrics.percentile(waits, 0.5),
        ReviewMetrics.percentile(waits, 0.95),
        Accuracy.of(automatedJudged),
        Accuracy.of(reviewedJudged));
  }
}
