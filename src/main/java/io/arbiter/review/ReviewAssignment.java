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
 * @param recommendation what a verdict is compared with to call it an override: for an escalation,
 *     the outcome the model's label recommends in the policy's vocabulary ({@link
 *     Decision#recommendation}), for a QA review the automated route
 * @param failSafe whether the policy could not be evaluated for the decision (so it says nothing of
 *     the model's output: the failure is shown to every reviewer anyway)
 * @param reasonCodes the rule's reason codes (empty: the policy's list applies)
 */
public record ReviewAssignment(
    String taskId,
    TaskKind kind,
    DecisionId decision,
    String queue,
    int reviewers,
    boolean blind,
    boolean failSafe,
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
      return Optional.of(
          new ReviewAssignment(
              decision.id().value(),
              TaskKind.ESCALATION,
              decision.id(),
              review.queue(),
              review.reviewers(),
              review.blind(),
              evaluation.kind() == RuleKind.FAIL_SAFE,
              decision.submittedAt(),
              decision.submittedAt().plus(review.sla()),
              decision.recommendation(),
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
              false,
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

  /** Priority of a fail-safe escalation: the policy could not decide, so a human must, soon. */
  public static final int FAIL_SAFE_PRIORITY = 100;

  /** Priority of an escalation by a guardrail, rule or the default route. */
  public static final int ESCALATION_PRIORITY = 50;

  /** Priority of a QA review: the automated decision already stands. */
  public static final int QA_PRIORITY = 0;

  /**
   * 0 to 100, higher first; within a priority the deadline orders the work. Derived from how the
   * task came about, never from the model's output: a blind reviewer sees priorities and the order
   * of a queue, so a priority that followed the model's confidence (as it did until issue 18) would
   * tell them what blind review withholds. Graphs written before then hold that old number in
   * {@code arb:priority}; it is never read back (docs/provenance.md).
   */
  public int priority() {
    if (kind == TaskKind.QA) {
      return QA_PRIORITY;
    }
    return failSafe ? FAIL_SAFE_PRIORITY : ESCALATION_PRIORITY;
  }
}
