package io.arbiter.decision;

import io.arbiter.policy.Route;
import java.time.Instant;
import java.util.Optional;

/**
 * A filtered, paged listing of decisions, newest first.
 *
 * @param from inclusive lower bound on submission time
 * @param to exclusive upper bound on submission time
 * @param tenant restricts to decisions submitted for this tenant
 * @param subject restricts to one case (the integrator's subject), answered from the subject index
 *     rather than by scanning every decision
 * @param rule restricts to decisions whose routing named this rule (a guardrail, a rule, {@code
 *     default}, or the rule a fail-safe stopped at)
 * @param submittedBy restricts to one submitter (integrators only ever see their own)
 * @param after continue after this position (from a previous page's cursor)
 */
public record DecisionQuery(
    Optional<Route> route,
    Optional<DecisionStatus> status,
    Optional<String> model,
    Optional<String> modelVersion,
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<String> tenant,
    Optional<String> subject,
    Optional<String> rule,
    Optional<String> submittedBy,
    Optional<PageCursor> after,
    int limit) {

  public static final int MAX_LIMIT = 500;

  /** Every decision, in pages as large as allowed ({@code forEachSummary} ignores the limit). */
  public static DecisionQuery all() {
    return scoped(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * Every decision of a model (of one version, for one tenant, where given) submitted in [from,
   * to): what the reports and metrics walk with {@code forEachSummary}, in pages as large as
   * allowed.
   */
  public static DecisionQuery scoped(
      Optional<String> model,
      Optional<String> modelVersion,
      Optional<Instant> from,
      Optional<Instant> to,
      Optional<String> tenant) {
    return new DecisionQuery(
        Optional.empty(),
        Optional.empty(),
        model,
        modelVersion,
        from,
        to,
        tenant,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        MAX_LIMIT);
  }

  /** The same filters, from another position, in pages of {@code size}. */
  public DecisionQuery page(Optional<PageCursor> position, int size) {
    return new DecisionQuery(
        route,
        status,
        model,
        modelVersion,
        from,
        to,
        tenant,
        subject,
        rule,
        submittedBy,
        position,
        size);
  }

  public DecisionQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT);
    }
  }

  boolean matches(DecisionSummary summary) {
    return route.map(r -> r.equals(summary.route())).orElse(true)
        && status.map(s -> s == summary.status()).orElse(true)
        && model.map(m -> m.equals(summary.model().name())).orElse(true)
        && modelVersion.map(v -> v.equals(summary.model().version())).orElse(true)
        && tenant.map(t -> summary.tenant().filter(t::equals).isPresent()).orElse(true)
        && subject.map(s -> s.equals(summary.subject())).orElse(true)
        && rule.map(r -> summary.ruleId().filter(r::equals).isPresent()).orElse(true)
        && submittedBy.map(u -> u.equals(summary.submittedBy())).orElse(true);
  }
}
