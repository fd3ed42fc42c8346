package io.arbiter.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * A guardrail or rule of a policy document: when {@code condition} (CEL) holds, route.
 *
 * @param review how to review, present exactly when the route is {@link Route#REVIEW}
 */
public record PolicyRule(
    String id,
    RuleKind kind,
    int position,
    String condition,
    Route route,
    Optional<ReviewSettings> review,
    Optional<String> description) {

  public PolicyRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(route, "route");
    if (review.isPresent() != Route.REVIEW.equals(route)) {
      throw new IllegalArgumentException("review settings go with the review route only");
    }
  }
}
