package io.arbiter.policy;

import java.util.List;
import java.util.Optional;

/**
 * When a policy counts a decision as one the model abstained from: the model said so (one of {@code
 * labels}), or its confidence was below the policy's floor. Used by the HITL figures; it does not
 * route anything (guardrails do).
 *
 * @param labels output labels that mean the model abstained
 * @param confidenceBelow the confidence floor, if the policy sets one
 */
public record Abstention(List<String> labels, Optional<Double> confidenceBelow) {

  /** Without an {@code abstention} section: the label {@code abstain}, no floor. */
  public static final Abstention DEFAULT = new Abstention(List.of("abstain"), Optional.empty());

  public Abstention {
    labels = List.copyOf(labels);
  }

  public boolean abstains(String label, double confidence) {
    return labels.contains(label) || confidenceBelow.map(floor -> confidence < floor).orElse(false);
  }
}
