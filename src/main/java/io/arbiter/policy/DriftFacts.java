package io.arbiter.policy;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How far a model version's recent live inputs have drifted from its registered reference, as the
 * drift monitor last assessed it; a derived fact, pinned with each decision so that replay sees
 * what intake saw. Conditions read it as {@code drift.alarm}, {@code drift.psi['amount']} and
 * {@code drift.ks['amount']}; the model's score is under the key {@link #SCORE}.
 *
 * @param alarm the id of the drift alarm raised and not yet cleared for the model version, if any
 * @param psi population stability index per input (and score) with enough recent samples
 * @param ks Kolmogorov–Smirnov statistic per numeric input (and score) with enough recent samples
 */
public record DriftFacts(Optional<String> alarm, Map<String, Double> psi, Map<String, Double> ks) {

  /** The key of the model's score among the statistics. */
  public static final String SCORE = "output.score";

  /** No reference registered, or nothing assessed yet: no alarm and no statistics. */
  public static final DriftFacts NONE = new DriftFacts(Optional.empty(), Map.of(), Map.of());

  public DriftFacts {
    Objects.requireNonNull(alarm, "alarm");
    psi = Map.copyOf(psi);
    ks = Map.copyOf(ks);
  }

  public boolean alarmed() {
    return alarm.isPresent();
  }

  /** Whether there is anything to record: an alarm or a statistic. */
  public boolean isEmpty() {
    return alarm.isEmpty() && psi.isEmpty() && ks.isEmpty();
  }
}
