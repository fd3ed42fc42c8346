package io.arbiter.review.api;

import io.arbiter.decision.api.DecisionView;
import io.arbiter.policy.api.ReasonCodeView;
import io.arbiter.review.Caller;
import io.arbiter.review.Outcome;
import io.arbiter.review.ReviewTask;
import io.arbiter.review.Settlement;
import io.arbiter.review.TaskState;
import io.arbiter.review.Verdict;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON of review tasks. What a caller sees depends on who they are: blind review hides the
 * model's output from everyone working the task, and each reviewer sees only their own verdict
 * until the task is settled (a lead sees all of them when asked to rule).
 */
public final class ReviewViews {
  private ReviewViews() {}

  /** A task in a queue listing. */
  @Schema(name = "ReviewTaskSummary")
  public record Summary(
      String id,
      String iri,
      @Schema(enumeration = {"escalation", "qa"}) String kind,
      String decision,
      String queue,
      @Schema(enumeration = {"open", "adjudication", "settled", "timed_out"}) String state,
      @Schema(
              description =
                  "0 to 100, higher first: 100 fail-safe escalations, 50 other escalations, 0 QA"
                      + " reviews; never derived from the model's output")
          int priority,
      Instant createdAt,
      Instant deadline,
      boolean overdue,
      @Schema(description = "Independent verdicts needed") int reviewersNeeded,
      int verdictsGiven,
      @Schema(description = "Reviewer slots nobody holds") int freeSlots,
      @Schema(description = "Whether the caller holds a live claim") boolean claimedByMe,
      boolean blind,
      @Schema(
              description =
                  "The rule that routed it; in blind review its neutral alias (rule-1, …); absent"
                      + " for a blind QA review")
          String rule) {

    /**
     * @param rule the rule as the caller may see it: its id, its alias in blind review, or none
     */
    static Summary of(ReviewTask task, Caller caller, Instant now, String iri, String rule) {
      var a = task.assignment();
      return new Summary(
          task.id(),
          iri,
          a.kind().wireName(),
          a.decision().value(),
          task.queue(),
          task.state().wireName(),
          a.priority(),
          a.createdAt(),
          a.deadline(),
          task.overdue(now),
          a.reviewers(),
          task.verdicts().size(),
          task.freeSlots(now),
          task.liveClaim(caller.name(), now).isPresent(),
          a.blind(),
          rule);
    }
  }

  /** A page of tasks. */
  @Schema(name = "ReviewTaskList")
  public record ListView(
      List<Summary> items,
      @Schema(description = "Cursor of the next page; absent on the last") String next) {}

  /** A verdict or ruling. */
  @Schema(name = "Verdict")
  public record VerdictView(
      String reviewer,
      @Schema(
              description =
                  "An outcome of the routing policy's vocabulary (approve or reject in the demo's)")
          String verdict,
      String reasonCode,
      List<String> rules,
      String justification,
      @Schema(description = "Whether the reviewer was shown the model's output")
          boolean sawRecommendation,
      Instant startedAt,
      Instant at) {
    /**
     * @param rules how the cited rules are shown: ids, or aliases in blind review
     */
    static VerdictView of(Verdict v, java.util.function.UnaryOperator<List<String>> rules) {
      return new VerdictView(
          v.reviewer(),
          v.outcome().wireName(),
          v.reasonCode(),
          rules.apply(v.rules()),
          v.justification().orElse(null),
          v.sawRecommendation(),
          v.startedAt(),
          v.at());
    }
  }

  /** The caller's claim. */
  @Schema(name = "ReviewClaim")
  public record ClaimView(Instant at, Instant expiresAt) {}

  /** A move to another queue. */
  @Schema(name = "ReviewEscalation")
  public record EscalationView(String fromQueue, String toQueue, Instant at) {}

  /** How the task ended. */
  @Schema(name = "ReviewSettlement")
  public record SettlementView(
      @Schema(
              description =
                  "An outcome of the routing policy's vocabulary (approve or reject in the demo's)")
          String outcome,
      @Schema(enumeration = {"consensus", "adjudication", "timeout"}) String basis,
      @Schema(description = "True for the SLA's fail-safe outcome") boolean failSafe,
      boolean overridesRecommendation,
      Instant at) {
    static SettlementView of(Settlement s) {
      return new SettlementView(
          s.outcome().wireName(),
          s.basis().wireName(),
          s.basis() == Settlement.Basis.TIMEOUT,
          s.overridesRecommendation(),
          s.at());
    }
  }

  /** A settled case like this one; never shown while the model's output is hidden. */
  @Schema(name = "SimilarCase")
  public record SimilarView(
      String decision,
      @Schema(description = "The model's label then") String modelLabel,
      @Schema(description = "The model's confidence then") Double confidence,
      String outcome,
      String basis,
      Boolean overridden,
      String reasonCode,
      @Schema(
              description =
                  "What it should have been, where recorded: an outcome of the routing policy's"
                      + " vocabulary")
          String groundTruth) {
    static SimilarView of(io.arbiter.review.SimilarCase c) {
      return new SimilarView(
          c.decisionId(),
          c.modelLabel(),
          c.confidence(),
          c.outcome().wireName(),
          c.basis().wireName(),
          c.overridden(),
          c.reasonCode().orElse(null),
          c.groundTruth().map(Outcome::wireName).orElse(null));
    }
  }

  /** A task with what a reviewer needs to decide it. */
  @Schema(name = "ReviewTask")
  public record Detail(
      Summary task,
      @Schema(description = "Whether the model's output and the trace are withheld (blind review)")
          boolean modelOutputHidden,
      @Schema(description = "The decision: inputs, context, the model's output (unless hidden)")
          DecisionView decision,
      @Schema(description = "Reason codes a verdict may give; empty: any code")
          List<String> reasonCodes,
      @Schema(
              description =
                  "The same codes, each with the label and definition the policy version gives it;"
                      + " a form shows the label and sends the code")
          List<ReasonCodeView> labelledReasonCodes,
      @Schema(
              description =
                  "The outcomes a verdict or ruling may give: the routing policy version's"
                      + " vocabulary, in its order (approve and reject in the demo's)")
          List<String> outcomes,
      @Schema(
              description =
                  "Rules of the policy version a verdict may cite; in blind review their neutral"
                      + " aliases, which a verdict cites instead")
          List<String> rules,
      ClaimView myClaim,
      @Schema(description = "Verdicts the caller may see: their own while the task is open")
          List<VerdictView> verdicts,
      VerdictView ruling,
      List<EscalationView> escalations,
      SettlementView settlement,
      @Schema(
              description =
                  "Settled cases of the same rule; none while the model's output is hidden (the"
                      + " rule was chosen on that output, so how its cases ended hints at it)")
          List<SimilarView> similar) {}

  /** Whether {@code caller} may see every verdict of {@code task} now. */
  static boolean seesAllVerdicts(ReviewTask task, Caller caller) {
    return task.state().finished()
        || caller.oversees()
        || (task.state() == TaskState.ADJUDICATION && caller.isLead());
  }

  /** Whether the model's output is withheld from {@code caller}. */
  static boolean hidesModel(ReviewTask task, Caller caller) {
    return task.assignment().blind() && !task.state().finished() && !caller.oversees();
  }
}
