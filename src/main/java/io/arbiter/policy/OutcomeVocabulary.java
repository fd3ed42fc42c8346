package io.arbiter.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The outcomes a policy's decisions can have, and which one each model label recommends: the
 * vocabulary of its automated routes, of reviewers' verdicts and of recorded outcomes (ground
 * truth). A screening model's vocabulary may be {@code benign}/{@code malignant}, a moderation
 * model's {@code keep}/{@code label}/{@code remove}; a policy that declares none has {@link
 * #DEFAULT}, approve/reject, which is what every decision recorded before vocabularies existed
 * meant.
 *
 * <p>Invariants: at least two outcomes, unique, each matching {@link #NAME} and none {@code review}
 * (the route to humans is not an outcome); every label maps to one of them; the positive outcome is
 * one of them.
 *
 * @param outcomes in declaration order
 * @param labels model label → the outcome it recommends, for labels that differ from their outcome;
 *     a label that names an outcome recommends that outcome unless mapped otherwise
 * @param positive the outcome precision and recall are computed for
 */
public record OutcomeVocabulary(
    List<String> outcomes, Map<String, String> labels, String positive) {

  /**
   * What an outcome name looks like: it becomes the last segment of its concept's IRI, so it needs
   * no escaping.
   */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** The route to humans; reserved, never an outcome. */
  public static final String REVIEW = "review";

  /** Without a declared vocabulary: approve or reject, approve the positive class. */
  public static final OutcomeVocabulary DEFAULT =
      new OutcomeVocabulary(List.of("approve", "reject"), Map.of(), "approve");

  public OutcomeVocabulary {
    outcomes = List.copyOf(outcomes);
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    Objects.requireNonNull(positive, "positive");
    if (outcomes.size() < 2 || outcomes.stream().distinct().count() != outcomes.size()) {
      throw new IllegalArgumentException("a vocabulary has at least two distinct outcomes");
    }
    for (String outcome : outcomes) {
      if (!NAME.matcher(outcome).matches() || REVIEW.equals(outcome)) {
        throw new IllegalArgumentException("not an outcome name: " + outcome);
      }
    }
    if (!outcomes.containsAll(labels.values())) {
      throw new IllegalArgumentException("every label must map to an outcome");
    }
    if (!outcomes.contains(positive)) {
      throw new IllegalArgumentException("the positive outcome must be an outcome");
    }
  }

  /** Whether {@code name} is one of the outcomes. */
  public boolean contains(String name) {
    return outcomes.contains(name);
  }

  /** The outcome a model label recommends, if any (an abstention recommends none). */
  public Optional<String> recommends(String label) {
    String mapped = labels.get(label);
    if (mapped != null) {
      return Optional.of(mapped);
    }
    return outcomes.contains(label) ? Optional.of(label) : Optional.empty();
  }

  /**
   * What a verdict on a decision with this label is compared with to call it an override: the
   * outcome the label recommends, or the label itself when it recommends none (which every verdict
   * then goes against, as before vocabularies: a human who decided did not follow a model that
   * recommended nothing).
   */
  public String recommendation(String label) {
    return recommends(label).orElse(label);
  }

  /**
   * This vocabulary with another positive outcome: what a request that overrides the declared one
   * for its precision and recall measures with.
   *
   * @throws IllegalArgumentException when {@code outcome} is not one of the outcomes
   */
  public OutcomeVocabulary withPositive(String outcome) {
    return new OutcomeVocabulary(outcomes, labels, outcome);
  }

  /** Whether this is the approve/reject vocabulary of a policy that declares none. */
  public boolean isDefault() {
    return equals(DEFAULT);
  }
}
