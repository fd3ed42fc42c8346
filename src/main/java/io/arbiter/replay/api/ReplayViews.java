package io.arbiter.replay.api;

import io.arbiter.decision.api.Views;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.Evaluation;
import io.arbiter.replay.BacktestReport;
import io.arbiter.replay.Coverage;
import io.arbiter.replay.PolicyOutcomes;
import io.arbiter.replay.Replay;
import io.arbiter.replay.ShadowReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** JSON views of replays and policy analyses. */
public final class ReplayViews {
  private ReplayViews() {}

  /** A routing: route, rule and the trace of every condition tested. */
  @Schema(name = "Routing")
  public record Routing(
      @Schema(
              description =
                  "review, or an outcome of the routing policy's vocabulary (approve or reject in the demo's)")
          String route,
      Views.Rule rule,
      Views.Review review,
      String failure,
      List<Views.Step> trace) {
    static Routing of(Evaluation evaluation) {
      return new Routing(
          evaluation.route().wireName(),
          Views.Rule.of(evaluation),
          evaluation.review().map(Views.Review::of).orElse(null),
          evaluation.failure().orElse(null),
          evaluation.trace().stream().map(Views.Step::of).toList());
    }
  }

  /** A replayed decision beside its recording. */
  @Schema(name = "Replay")
  public record ReplayView(
      String decision,
      @Schema(description = "The pinned policy version; absent when none governed the model")
          Views.Policy policy,
      @Schema(description = "True when the replay reproduced the recorded routing exactly")
          boolean matches,
      Routing recorded,
      Routing replayed,
      boolean recordedQaSampled,
      boolean replayedQaSampled,
      @Schema(description = "What differs, in words") List<String> differences) {
    static ReplayView of(Replay replay, IriScheme iris) {
      var decision = replay.recorded().decision();
      return new ReplayView(
          decision.id().value(),
          Views.Policy.of(decision.policy(), iris),
          replay.matches(),
          Routing.of(decision.evaluation()),
          Routing.of(replay.replayed()),
          decision.qaSampled(),
          replay.qaSampled(),
          replay.differences());
    }
  }

  /** One changed decision in a backtest. */
  @Schema(name = "BacktestChange")
  public record Change(
      String decision,
      Instant submittedAt,
      String recordedRoute,
      String recordedRule,
      String candidateRoute,
      String candidateRule) {
    static Change of(BacktestReport.Change change) {
      return new Change(
          change.decisionId(),
          change.submittedAt(),
          change.recordedRoute().wireName(),
          change.recordedRule().orElse(null),
          change.candidateRoute().wireName(),
          change.candidateRule().orElse(null));
    }
  }

  @Schema(name = "BacktestReport")
  public record Backtest(
      Views.Policy candidate,
      Instant from,
      Instant to,
      @Schema(description = "Recorded decisions of the candidate's models in range") long evaluated,
      @Schema(description = "Decisions whose route the candidate changes") long changed,
      @Schema(description = "Changed decisions by recorded→candidate route")
          Map<String, Long> changedByRoutePair,
      @Schema(description = "Changed decisions by the candidate rule that decided them")
          Map<String, Long> changedByRule,
      @Schema(description = "Share routed to human review as recorded") double escalationBefore,
      @Schema(description = "Share the candidate would route to human review")
          double escalationAfter,
      @Schema(description = "One page of changed decisions, newest first") List<Change> changes,
      @Schema(description = "Offset of the next page of changes, if any") Long nextOffset) {
    static Backtest of(BacktestReport report, IriScheme iris) {
      return new Backtest(
          new Views.Policy(
              report.policyId(),
              report.version(),
              iris.policyVersion(report.policyId(), report.version())),
          report.from().orElse(null),
          report.to().orElse(null),
          report.evaluated(),
          report.changed(),
          report.changedByRoutePair(),
          report.changedByRule(),
          report.escalationBefore(),
          report.escalationAfter(),
          report.changes().stream().map(Change::of).toList(),
          report.nextOffset().orElse(null));
    }
  }

  /** One decision where the shadow version disagreed. */
  @Schema(name = "ShadowDisagreement")
  public record Disagreement(
      String decision,
      Instant submittedAt,
      String route,
      String rule,
      String shadowRoute,
      String shadowRule) {
    static Disagreement of(PolicyOutcomes.ShadowOutcome outcome) {
      return new Disagreement(
          outcome.decisionId(),
          outcome.submittedAt(),
          outcome.route().wireName(),
          outcome.ruleId().orElse(null),
          outcome.shadowRoute().wireName(),
          outcome.shadowRuleId().orElse(null));
    }
  }

  @Schema(name = "ShadowReport")
  public record Shadow(
      Views.Policy shadow,
      @Schema(description = "Decisions the shadow version evaluated") long compared,
      long agreed,
      @Schema(description = "agreed / compared") double agreement,
      @Schema(description = "Decisions by applied→shadow route") Map<String, Long> byRoutePair,
      @Schema(description = "One page of disagreements, newest first")
          List<Disagreement> disagreements,
      Long nextOffset) {
    static Shadow of(ShadowReport report, IriScheme iris) {
      return new Shadow(
          new Views.Policy(
              report.policyId(),
              report.version(),
              iris.policyVersion(report.policyId(), report.version())),
          report.compared(),
          report.agreed(),
          report.agreement(),
          report.byRoutePair(),
          report.disagreements().stream().map(Disagreement::of).toList(),
          report.nextOffset().orElse(null));
    }
  }

  @Schema(name = "PolicyCoverage")
  public record CoverageView(
      Views.Policy policy,
      @Schema(description = "Decisions this version routed") long decisions,
      @Schema(description = "Decisions per guardrail and rule, in document order")
          Map<String, Long> matched,
      List<String> neverMatched,
      long reachedDefault,
      @Schema(description = "reachedDefault / decisions") double defaultShare,
      long failedSafe) {
    static CoverageView of(Coverage coverage, IriScheme iris) {
      return new CoverageView(
          new Views.Policy(
              coverage.policyId(),
              coverage.version(),
              iris.policyVersion(coverage.policyId(), coverage.version())),
          coverage.decisions(),
          coverage.matched(),
          coverage.neverMatched(),
          coverage.reachedDefault(),
          coverage.defaultShare(),
          coverage.failedSafe());
    }
  }
}
