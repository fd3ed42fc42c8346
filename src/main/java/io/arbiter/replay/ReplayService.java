package io.arbiter.replay;

import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionId;
import io.arbiter.decision.DecisionQuery;
import io.arbiter.decision.DecisionService;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.RecordedDecision;
import io.arbiter.jobs.Progress;
import io.arbiter.policy.CompiledPolicy;
import io.arbiter.policy.Evaluation;
import io.arbiter.policy.PolicyCatalog;
import io.arbiter.policy.PolicyVersionInfo;
import io.arbiter.policy.RuleKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Evaluates recorded decisions again. Evaluation is a pure function of the recorded facts and the
 * policy version, so what differs between a replay and the recording is a finding, not noise.
 */
public final class ReplayService {

  private final DecisionService decisions;
  private final PolicyCatalog policies;
  private final PolicyOutcomes outcomes;

  public ReplayService(DecisionService decisions, PolicyCatalog policies, PolicyOutcomes outcomes) {
    this.decisions = decisions;
    this.policies = policies;
    this.outcomes = outcomes;
  }

  /**
   * Checks that the version exists before a report on it is started as a job, so that a typo is
   * refused at once rather than as a failed job.
   *
   * @throws io.arbiter.problem.ProblemException {@code not-found}
   */
  public void requireVersion(String policyId, String version) {
    policies.require(policyId, version);
  }

  /** Evaluates a decision's recorded facts with its recorded policy version. */
  public Replay replay(RecordedDecision recorded) {
    Decision decision = recorded.decision();
    Optional<CompiledPolicy> policy =
        decision.policy().map(ref -> policies.require(ref.id(), ref.version()).policy());
    Evaluation replayed = DecisionService.evaluate(policy, decision.facts());
    boolean sampled = DecisionService.qaSampled(policy, replayed, decision.id());
    List<String> differences = new ArrayList<>();
    Evaluation was = decision.evaluation();
    compare(differences, "route", was.route(), replayed.route());
    compare(differences, "rule kind", was.kind(), replayed.kind());
    compare(differences, "rule", was.ruleId(), replayed.ruleId());
    compare(differences, "review settings", was.review(), replayed.review());
    compare(differences, "failure", was.failure(), replayed.failure());
    compare(differences, "trace", was.trace(), replayed.trace());
    compare(differences, "QA sampling", decision.qaSampled(), sampled);
    return new Replay(recorded, replayed, sampled, differences);
  }

  /**
   * Evaluates a candidate version over the recorded decisions of its models submitted in [from,
   * to), newest first, keeping only counters and one page of changes in memory.
   *
   * @param offset how many changed decisions to skip before the page
   * @param limit page size
   * @param progress told of each decision evaluated; when it is watched (not {@link
   *     Progress#NONE}), the decisions in range are counted first for its total (the summaries are
   *     in memory: a tenth of the cost of evaluating them)
   */
  public BacktestReport backtest(
      String policyId,
      String version,
      Optional<Instant> from,
      Optional<Instant> to,
      long offset,
      int limit,
      Progress progress) {
    return backtest(
        policyId,
        version,
        from,
        to,
        offset,
        limit,
        progress,
        io.arbiter.decision.TenantScope.GLOBAL);
  }

  /**
   * {@link #backtest(String, String, Optional, Optional, long, int, Progress)} over the decisions
   * visible in {@code tenants} only: a caller bound to tenants backtests on its tenants' history.
   */
  public BacktestReport backtest(
      String policyId,
      String version,
      Optional<Instant> from,
      Optional<Instant> to,
      long offset,
      int limit,
      Progress progress,
      io.arbiter.decision.TenantScope tenants) {
    CompiledPolicy candidate = policies.require(policyId, version).policy();
    List<DecisionQuery> queries =
        candidate.document().models().stream()
            .map(
                model ->
                    DecisionQuery.scoped(
                        Optional.of(model), Optional.empty(), from, to, Optional.empty()))
            .toList();
    if (progress != Progress.NONE) {
      long[] inRange = {0};
      for (DecisionQuery query : queries) {
        decisions.forEachSummary(
            query,
            summary -> {
              if (tenants.sees(summary) && wouldRoute(candidate, summary)) {
                inRange[0]++;
              }
            });
      }
      progress.total(inRange[0]);
    }
    var totals =
        new Object() {
          long evaluated;
          long changed;
          long escalatedBefore;
          long escalatedAfter;
          boolean more;
        };
    Map<String, Long> byRoutePair = new TreeMap<>();
    Map<String, Long> byRule = new TreeMap<>();
    List<BacktestReport.Change> page = new ArrayList<>();
    for (DecisionQuery query : queries) {
      decisions.forEachPinned(
          query,
          summary -> tenants.sees(summary) && wouldRoute(candidate, summary),
          pinned -> {
            progress.advance(1);
            DecisionSummary recorded = pinned.summary();
            Evaluation now = candidate.evaluate(pinned.facts());
            totals.evaluated++;
            totals.escalatedBefore += !recorded.route().automated() ? 1 : 0;
            totals.escalatedAfter += !now.route().automated() ? 1 : 0;
            if (recorded.route().equals(now.route())) {
              return;
            }
            long index = totals.changed++;
            byRoutePair.merge(
                recorded.route().wireName() + "→" + now.route().wireName(), 1L, Long::sum);
            byRule.merge(ruleName(now), 1L, Long::sum);
            if (index >= offset && page.size() < limit) {
              page.add(
                  new BacktestReport.Change(
                      recorded.id().value(),
                      recorded.submittedAt(),
                      recorded.route(),
                      recorded.ruleId(),
                      now.route(),
                      now.ruleId()));
            } else if (index >= offset) {
              totals.more = true;
            }
          });
    }
    return new BacktestReport(
        policyId,
        version,
        from,
        to,
        totals.evaluated,
        totals.changed,
        byRoutePair,
        byRule,
        share(totals.escalatedBefore, totals.evaluated),
        share(totals.escalatedAfter, totals.evaluated),
        page,
        totals.more ? Optional.of(offset + page.size()) : Optional.empty());
  }

  /**
   * Whether the candidate, active, would route this decision: it covers the decision's tenant, and
   * no version scoped to that tenant would take precedence over it (when it is itself for every
   * tenant).
   */
  private boolean wouldRoute(CompiledPolicy candidate, DecisionSummary decision) {
    Optional<String> tenant = decision.tenant();
    if (!candidate.document().covers(tenant)) {
      return false; // another tenant's decision
    }
    if (tenant.isEmpty() || !candidate.document().tenants().isEmpty()) {
      return true;
    }
    return policies
        .forModel(decision.model().name(), tenant)
        .map(active -> active.document().tenants().isEmpty() || active.id().equals(candidate.id()))
        .orElse(true);
  }

  /**
   * Agreement of a shadow version with the versions that were applied beside it.
   *
   * @param progress told of each decision compared (how many there are is known only at the end)
   */
  public ShadowReport shadowReport(
      String policyId, String version, long offset, int limit, Progress progress) {
    return shadowReport(
        policyId, version, offset, limit, progress, io.arbiter.decision.TenantScope.GLOBAL);
  }

  /**
   * {@link #shadowReport(String, String, long, int, Progress)} over the decisions visible in {@code
   * tenants} only: a caller bound to tenants compares on its tenants' decisions.
   */
  public ShadowReport shadowReport(
      String policyId,
      String version,
      long offset,
      int limit,
      Progress progress,
      io.arbiter.decision.TenantScope tenants) {
    policies.require(policyId, version);
    var totals =
        new Object() {
          long compared;
          long agreed;
          long disagreed;
          boolean more;
        };
    Map<String, Long> byRoutePair = new TreeMap<>();
    List<PolicyOutcomes.ShadowOutcome> page = new ArrayList<>();
    outcomes.forEachShadowOutcome(
        policyId,
        version,
        outcome -> {
          if (!tenants.global()
              && DecisionId.parse(outcome.decisionId())
                  .flatMap(decisions::summary)
                  .filter(tenants::sees)
                  .isEmpty()) {
            // Still a chance to cancel, but not counted: a bound caller's job progress must not
            // tell how many decisions other tenants had.
            progress.advance(0);
            return;
          }
          progress.advance(1);
          totals.compared++;
          byRoutePair.merge(
              outcome.route().wireName() + "→" + outcome.shadowRoute().wireName(), 1L, Long::sum);
          if (outcome.route().equals(outcome.shadowRoute())) {
            totals.agreed++;
            return;
          }
          long index = totals.disagreed++;
          if (index >= offset && page.size() < limit) {
            page.add(outcome);
          } else if (index >= offset) {
            totals.more = true;
          }
        });
    return new ShadowReport(
        policyId,
        version,
        totals.compared,
        totals.agreed,
        byRoutePair,
        page,
        totals.more ? Optional.of(offset + page.size()) : Optional.empty());
  }

  /**
   * How often each rule of a version decided, which never did, and how many fell through, over the
   * decisions {@code tenants} sees (every decision for a global caller; a caller bound to tenants
   * counts its tenants' only). Counted from the in-memory decision index, which holds each
   * decision's policy version and rule.
   *
   * @param progress one unit: the count
   */
  public Coverage coverage(
      String policyId, String version, Progress progress, io.arbiter.decision.TenantScope tenants) {
    PolicyVersionInfo info = policies.require(policyId, version);
    progress.total(1);
    progress.advance(0);
    Optional<io.arbiter.decision.PolicyRef> routedBy =
        Optional.of(new io.arbiter.decision.PolicyRef(policyId, version));
    Map<String, Long> matched = new LinkedHashMap<>();
    info.document().allRules().forEach(rule -> matched.put(rule.id(), 0L));
    var totals =
        new Object() {
          long decisions;
          long reachedDefault;
          long failedSafe;
        };
    decisions.forEachSummary(
        DecisionQuery.all(),
        summary -> {
          if (!summary.policy().equals(routedBy) || !tenants.sees(summary)) {
            return;
          }
          totals.decisions++;
          if (summary.ruleKind() == RuleKind.DEFAULT) {
            totals.reachedDefault++;
          } else if (summary.ruleKind() == RuleKind.FAIL_SAFE) {
            totals.failedSafe++;
          } else {
            summary.ruleId().ifPresent(id -> matched.merge(id, 1L, Long::sum));
          }
        });
    progress.advance(1);
    List<String> never =
        matched.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
    return new Coverage(
        policyId,
        version,
        totals.decisions,
        matched,
        never,
        totals.reachedDefault,
        totals.failedSafe);
  }

  private static String ruleName(Evaluation evaluation) {
    return evaluation.ruleId().orElse(evaluation.kind().wireName());
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }

  private static void compare(List<String> differences, String what, Object was, Object now) {
    if (!was.equals(now)) {
      differences.add(what + ": recorded " + was + ", replayed " + now);
    }
  }
}
