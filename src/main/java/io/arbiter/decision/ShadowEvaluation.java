package io.arbiter.decision;

import io.arbiter.policy.Evaluation;
import java.util.Objects;

/** How a policy version in shadow would have routed a decision; recorded, never applied. */
public record ShadowEvaluation(PolicyRef policy, Evaluation evaluation) {

  public ShadowEvaluation {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(evaluation, "evaluation");
  }
}
