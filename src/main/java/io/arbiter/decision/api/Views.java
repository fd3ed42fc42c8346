package io.arbiter.decision.api;

import io.arbiter.decision.PolicyRef;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.Evaluation;
import io.arbiter.policy.EvaluationStep;
import io.arbiter.policy.ReviewSettings;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** JSON parts shared by the decision views. */
public final class Views {
  private Views() {}

  /** The guardrail or rule that decided. */
  @Schema(name = "MatchedRule")
  public record Rule(
      @Schema(
              description =
                  "Rule id; 'default' when no rule matched; absent when no rule was"
                      + " evaluated (no policy applied, or the decision failed safe before any"
                      + " rule: its model version, a missing required input)")
          String id,
      @Schema(enumeration = {"guardrail", "rule", "default", "fail-safe"}) String kind) {
    public static Rule of(Evaluation evaluation) {
      return new Rule(evaluation.ruleId().orElse(null), evaluation.kind().wireName());
    }
  }

  /** A policy version. */
  @Schema(name = "PolicyVersionRef")
  public record Policy(String id, String version, String iri) {
    public static Policy of(Optional<PolicyRef> policy, IriScheme iris) {
      return policy
          .map(p -> new Policy(p.id(), p.version(), iris.policyVersion(p.id(), p.version())))
          .orElse(null);
    }
  }

  /** How a decision is to be reviewed. */
  @Schema(name = "ReviewSettings")
  public record Review(
      String queue,
      int reviewers,
      @Schema(description = "ISO-8601 duration from submission to verdict") String sla,
      @Schema(description = "Whether reviewers are kept from seeing the model's output")
          boolean blind,
      @Schema(description = "Reason codes a verdict may give; empty means the policy's list")
          List<String> reasonCodes) {
    public static Review of(ReviewSettings settings) {
      return new Review(
          settings.queue(),
          settings.reviewers(),
          settings.sla().toString(),
          settings.blind(),
          settings.reasonCodes());
    }
  }

  /** One tested condition. */
  @Schema(name = "TraceStep")
  public record Step(
      String rule,
      @Schema(enumeration = {"guardrail", "rule"}) String kind,
      @Schema(enumeration = {"matched", "not-matched", "error", "also-applies"}) String outcome,
      String detail) {
    public static Step of(EvaluationStep step) {
      return new Step(
          step.ruleId(),
          step.kind().wireName(),
          step.outcome().wireName(),
          step.detail().orElse(null));
    }
  }

  /** A model version. */
  @Schema(name = "ModelRef")
  public record Model(String name, String version) {}
}
