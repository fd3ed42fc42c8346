package io.arbiter.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a decision goes: to humans ({@link #REVIEW}), or automatically to one of the outcomes of
 * its policy's {@link OutcomeVocabulary} (approve or reject in the demo's). A route is a name;
 * which names are allowed is the vocabulary's business, checked where a policy or request is read.
 *
 * @param wireName the name used in policy documents, JSON and the graph
 */
public record Route(String wireName) {

  /** To human review. */
  public static final Route REVIEW = new Route(OutcomeVocabulary.REVIEW);

  /** The default vocabulary's approve. */
  public static final Route APPROVE = new Route("approve");

  /** The default vocabulary's reject. */
  public static final Route REJECT = new Route("reject");

  public Route {
    Objects.requireNonNull(wireName, "wireName");
    if (!OutcomeVocabulary.NAME.matcher(wireName).matches()) {
      throw new IllegalArgumentException("not a route name: " + wireName);
    }
  }

  /** Whether the decision is applied without a human: any route but review. */
  public boolean automated() {
    return !REVIEW.equals(this);
  }

  /** The route of this name, if it is a well-formed one (whether a vocabulary has it is apart). */
  public static Optional<Route> fromWireName(String name) {
    return name != null && OutcomeVocabulary.NAME.matcher(name).matches()
        ? Optional.of(new Route(name))
        : Optional.empty();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
