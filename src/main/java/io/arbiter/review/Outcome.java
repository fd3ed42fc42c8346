package io.arbiter.review;

import io.arbiter.policy.OutcomeVocabulary;
import io.arbiter.policy.Route;
import java.util.Objects;
import java.util.Optional;

/**
 * What a human decided: one of the outcomes of the policy's {@link OutcomeVocabulary} (approve or
 * reject in the demo's). Whether the vocabulary has it is checked where a verdict is received.
 */
public record Outcome(String wireName) {

  /** The default vocabulary's approve. */
  public static final Outcome APPROVE = new Outcome("approve");

  /** The default vocabulary's reject. */
  public static final Outcome REJECT = new Outcome("reject");

  public Outcome {
    Objects.requireNonNull(wireName, "wireName");
    if (!OutcomeVocabulary.NAME.matcher(wireName).matches()
        || OutcomeVocabulary.REVIEW.equals(wireName)) {
      throw new IllegalArgumentException("not an outcome name: " + wireName);
    }
  }

  /** The automated route with the same effect. */
  public Route route() {
    return new Route(wireName);
  }

  /** The outcome with the same effect as an automated route; review is none. */
  public static Outcome of(Route route) {
    if (!route.automated()) {
      throw new IllegalArgumentException("review is not an outcome");
    }
    return new Outcome(route.wireName());
  }

  /**
   * The outcome of this name, if it is a well-formed one (whether a vocabulary has it is apart).
   */
  public static Optional<Outcome> fromWireName(String name) {
    return name != null
            && OutcomeVocabulary.NAME.matcher(name).matches()
            && !OutcomeVocabulary.REVIEW.equals(name)
        ? Optional.of(new Outcome(name))
        : Optional.empty();
  }

  /**
   * Whether this outcome goes against a recommendation: the outcome the model's label recommends in
   * the policy's vocabulary (for a QA review, the automated route). A recommendation that is no
   * outcome (the model abstained) is gone against by every outcome: the human did not follow it
   * either way. Compared without regard to case, as before vocabularies.
   */
  public boolean goesAgainst(String recommendation) {
    return !wireName.equalsIgnoreCase(recommendation);
  }

  @Override
  public String toString() {
    return wireName;
  }
}
