package io.arbiter.policy;

import java.util.Optional;

/**
 * What happens when no guardrail and no rule matched; human review unless a policy says otherwise.
 */
public record DefaultRoute(Route route, Optional<ReviewSettings> review) {

  public static final String ID = "default";

  public DefaultRoute {
    if (review.isPresent() != Route.REVIEW.equals(route)) {
      throw new IllegalArgumentException("review settings go with the review route only");
    }
  }
}
