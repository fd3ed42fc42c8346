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
 * <p>Evidence is not overwritten: a correction is a new ground truth, the next {@code revision},
 * which revises the one before and says why; the latest revision is the decision's ground truth.
 *
 * @param correct one of the outcomes of the vocabulary of the policy that routed the decision, in
 *     hindsight
 * @param observedAt when it became known (may be before it was recorded)
 * @param revision 1 for the first ground truth recorded, n + 1 for the correction of revision n
 * @param reason why revision n + 1 corrects revision n: present exactly when {@code revision > 1}
 */
public record GroundTruth(
    Route correct,
    Optional<String> note,
    Instant observedAt,
    String recordedBy,
    Instant recordedAt,
    int revision,
    Optional<String> reason) {

  public GroundTruth {
    Objects.requireNonNull(correct, "correct");
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(recordedBy, "recordedBy");
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(reason, "reason");
    if (!correct.automated()) {
      throw new IllegalArgumentException("ground truth is an outcome, never review");
    }
    if (revision < 1 || reason.isPresent() != revision > 1) {
      throw new IllegalArgumentException("a correction (revision > 1), and only one, has a reason");
    }
  }

  /** A decision's first ground truth. */
  public GroundTruth(
      Route correct,
      Optional<String> note,
      Instant observedAt,
      String recordedBy,
      Instant recordedAt) {
    this(correct, note, observedAt, recordedBy, recordedAt, 1, Optional.empty());
  }

  /** This ground truth recorded as the correction of {@code previous}, for {@code why}. */
  public GroundTruth correcting(GroundTruth previous, String why) {
    return new GroundTruth(
        correct, note, observedAt, recordedBy, recordedAt, previous.revision + 1, Optional.of(why));
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
