package io.arbiter.decision;

import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import io.arbiter.registry.ModelVersionRef;
import java.time.Instant;
import java.util.Optional;

/**
 * What lists, filters and idempotency need of a decision; kept in memory by {@link DecisionIndex}.
 *
 * @param tenant the tenant the decision was submitted for, if it named one
 * @param ruleId the rule that decided (see {@link io.arbiter.policy.Evaluation#ruleId()})
 * @param label the model's recommendation
 * @param confidence the model's confidence
 * @param intakeTime from submission to durable record, for decisions taken since start-up (it is
 *     not in the graph)
 * @param resolution how humans settled it, once they have
 * @param truth what it should have been, once that is known
 */
public record DecisionSummary(
    DecisionId id,
    String subject,
    ModelVersionRef model,
    Optional<String> tenant,
    Route route,
    RuleKind ruleKind,
    Optional<String> ruleId,
    String label,
    double confidence,
    Optional<PolicyRef> policy,
    String submittedBy,
    Instant submittedAt,
    Optional<Decision.Idempotency> idempotency,
    long sequence,
    String bundleIri,
    Optional<java.time.Duration> intakeTime,
    Optional<Resolution> resolution,
    Optional<GroundTruth> truth) {

  public DecisionStatus status() {
    return resolution.isPresent() ? DecisionStatus.SETTLED : DecisionStatus.after(route);
  }

  public DecisionSummary withTruth(GroundTruth truth) {
    return with(resolution, Optional.of(truth));
  }

  public DecisionSummary resolved(Resolution resolution) {
    return with(Optional.of(resolution), truth);
  }

  private DecisionSummary with(Optional<Resolution> resolution, Optional<GroundTruth> truth) {
    return new DecisionSummary(
        id,
        subject,
        model,
        tenant,
        route,
        ruleKind,
        ruleId,
        label,
        confidence,
        policy,
        submittedBy,
        submittedAt,
        idempotency,
        sequence,
        bundleIri,
        intakeTime,
        resolution,
        truth);
  }

  static DecisionSummary of(
      Decision decision, long sequence, String bundleIri, java.time.Duration intakeTime) {
    var evaluation = decision.evaluation();
    return new DecisionSummary(
        decision.id(),
        decision.request().subject(),
        decision.model(),
        decision.request().tenant(),
        evaluation.route(),
        evaluation.kind(),
        evaluation.ruleId(),
        decision.request().output().label(),
        decision.request().output().confidence(),
        decision.policy(),
        decision.submittedBy(),
        decision.submittedAt(),
        decision.idempotency(),
        sequence,
        bundleIri,
        Optional.of(intakeTime),
        Optional.empty(),
        Optional.empty());
  }
}
