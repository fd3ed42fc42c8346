package io.arbiter.review;

import io.arbiter.decision.DecisionId;
import io.arbiter.decision.PolicyRef;
import io.arbiter.event.DomainEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A step in a review task's life, recorded as one bundle about the task. The task's creation is not
 * among them: it is part of the decision's own bundle ({@link ReviewAssignment}).
 */
public sealed interface ReviewEvent extends DomainEvent {

  String taskId();

  DecisionId decision();

  /** A reviewer took one of the task's reviewer slots until {@code expiresAt}. */
  record Claimed(
      String taskId,
      DecisionId decision,
      String subjectIri,
      String actor,
      Instant time,
      Instant expiresAt)
      implements ReviewEvent {
    public static final String TYPE = "review.claimed";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** A reviewer gave their slot back without a verdict. */
  record Released(String taskId, DecisionId decision, String subjectIri, String actor, Instant time)
      implements ReviewEvent {
    public static final String TYPE = "review.released";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * A reviewer's verdict; {@code settles} is present when it completes agreeing verdicts (it is
   * empty while verdicts are missing, and when they disagree, which sends the task to a lead).
   */
  record VerdictGiven(
      String taskId,
      DecisionId decision,
      String subjectIri,
      Optional<PolicyRef> policy,
      Verdict verdict,
      Optional<Settlement> settles)
      implements ReviewEvent {
    public static final String TYPE = "review.verdict";

    public VerdictGiven {
      Objects.requireNonNull(verdict, "verdict");
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String actor() {
      return verdict.reviewer();
    }

    @Override
    public Instant time() {
      return verdict.at();
    }
  }

  /** A lead reviewer's ruling on disagreeing verdicts; it settles the task. */
  record Adjudicated(
      String taskId,
      DecisionId decision,
      String subjectIri,
      Optional<PolicyRef> policy,
      Verdict ruling,
      Settlement settles)
      implements ReviewEvent {
    public static final String TYPE = "review.adjudicated";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String actor() {
      return ruling.reviewer();
    }

    @Override
    public Instant time() {
      return ruling.at();
    }
  }

  /** The SLA ran short: the task moved to another queue. */
  record Escalated(
      String taskId,
      DecisionId decision,
      String subjectIri,
      String actor,
      Instant time,
      String fromQueue,
      String toQueue)
      implements ReviewEvent {
    public static final String TYPE = "review.escalated";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** The SLA ran out: the fail-safe outcome was applied (never a silent approval). */
  record TimedOut(
      String taskId, DecisionId decision, String subjectIri, String actor, Settlement settles)
      implements ReviewEvent {
    public static final String TYPE = "review.timed-out";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public Instant time() {
      return settles.at();
    }
  }

  /** The settlement this event brings, if it ends the task. */
  default Optional<Settlement> settlement() {
    if (this instanceof VerdictGiven v) {
      return v.settles();
    }
    if (this instanceof Adjudicated a) {
      return Optional.of(a.settles());
    }
    if (this instanceof TimedOut t) {
      return Optional.of(t.settles());
    }
    return Optional.empty();
  }
}
