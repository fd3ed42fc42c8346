package io.arbiter.review;

import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionId;
import io.arbiter.decision.PolicyRef;
import io.arbiter.policy.ReviewSettings;
import io.arbiter.policy.RuleKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A review task as the decision that caused it creates it: recorded in the decision's own bundle,
 * so a decision routed to humans never exists without its task.
 *
 * @param recommendation what a verdict is compared with to call it an override: the model's label
 *     for an escalation, the automated route for a QA review
 * @param priority 0 to 100, higher first: fail-safe escalations 100, others by the model's doubt
 *     (100 × (1 − confidence)), QA reviews 0
 * @param reasonCodes the rule's reason codes (empty: the policy's list applies)
 */
public record ReviewAssignment(
    String taskId,
    TaskKind kind,
    DecisionId decision,
    String queue,
    int reviewers,
    boolean blind,
    int priority,
    Instant createdAt,
    Instant deadline,
    String recommendation,
    String submittedBy,
    Optional<PolicyRef> policy,
    Optional<String> ruleId,
    List<String> reasonCodes) {

  /** Queue of post-hoc QA reviews. */
  public static final String QA_QUEUE = "qa";

  /** Time allowed for a QA review. */
  public static final Duration QA_SLA = Duration.ofHours(72);

  /**
   * What a timed-out escalation becomes: reject, so the AI's proposed action is not taken without a
   * human. Recorded as a fail-safe, never as a verdict.
   */
  public static final Outcome FAIL_SAFE_OUTCOME = Outcome.REJECT;

  public ReviewAssignment {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(queue, "queue");
    reasonCodes = List.copyOf(reasonCodes);
    if (reviewers < 1) {
      throw new IllegalArgumentException("reviewers must be at least 1");
    }
  }

  /** The task a decision creates, if any: its escalation, or its QA review when sampled. */
  public static Optional<ReviewAssignment> of(Decision decision) {
    var evaluation = decision.evaluation();
    Optional<String> rule = evaluation.ruleId();
    if (evaluation.review().isPresent()) {
      ReviewSettings review = evaluation.review().get();
      int priority =
          evaluation.kind() == RuleKind.FAIL_SAFE
              ? 100
              : (int) Math.round(100 * (1 - clamp(decision.request().output().confidence())));
      return Optional.of(
          new ReviewAssignment(
              decision.id().value(),
              TaskKind.ESCALATION,
              decision.id(),
              review.queue(),
              review.reviewers(),
              review.blind(),
              priority,
              decision.submittedAt(),
              decision.submittedAt().plus(review.sla()),
              decision.request().output().label(),
              decision.submittedBy(),
              decision.policy(),
              rule,
              review.reasonCodes()));
    }
    if (decision.qaSampled()) {
      return Optional.of(
          new ReviewAssignment(
              qaTaskId(decision.id()),
              TaskKind.QA,
              decision.id(),
              QA_QUEUE,
              1,
              true,
              0,
              decision.submittedAt(),
              decision.submittedAt().plus(QA_SLA),
              evaluation.route().wireName(),
              decision.submittedBy(),
              decision.policy(),
              rule,
              List.of()));
    }
    return Optional.empty();
  }

  private static final String QA_SUFFIX = "-qa";

  /** The id of a decision's QA review task. */
  public static String qaTaskId(DecisionId decision) {
    return decision.value() + QA_SUFFIX;
  }

  /**
   * The kind of task an id names: a decision's escalation has the decision's id, its QA review that
   * id with {@code -qa}.
   */
  public static TaskKind kindOf(String taskId) {
    return taskId.endsWith(QA_SUFFIX) ? TaskKind.QA : TaskKind.ESCALATION;
  }

  /** The decision a task id belongs to (see {@link #kindOf}). */
  public static DecisionId decisionOf(String taskId) {
    return new DecisionId(
        kindOf(taskId) == TaskKind.QA
            ? taskId.substring(0, taskId.length() - QA_SUFFIX.length())
            : taskId);
  }

  private static double clamp(double confidence) {
    return Double.isNaN(confidence) ? 0 : Math.max(0, Math.min(1, confidence));
  }
}
