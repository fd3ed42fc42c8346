package io.arbiter.decision;

import io.arbiter.event.DomainEvent;
import io.arbiter.policy.Route;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a decision should have been, learnt later (the loan was repaid, the claim was fraud): the
 * yardstick for automated and reviewed decisions alike.
 *
 * @param correct one of the outcomes of the vocabulary of the policy that routed the decision, in
 *     hindsight
 * @param observedAt when it became known (may be before it was recorded)
 */
public record GroundTruth(
    Route correct,
    Optional<String> note,
    Instant observedAt,
    String recordedBy,
    Instant recordedAt) {

  public GroundTruth {
    Objects.requireNonNull(correct, "correct");
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(recordedBy, "recordedBy");
    Objects.requireNonNull(recordedAt, "recordedAt");
    if (!correct.automated()) {
      throw new IllegalArgumentException("ground truth is an outcome, never review");
    }
  }

  /** The event recording a decision's ground truth ({@code decision.outcome}). */
  public record Recorded(DecisionId decision, String subjectIri, GroundTruth truth)
      implements DomainEvent {
    public static final String TYPE = "decision.outcome";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String actor() {
      return truth.recordedBy();
    }

    @Override
    public Instant time() {
      return truth.recordedAt();
    }
  }
}
