package io.arbiter.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a decision routed to humans is to be reviewed.
 *
 * @param queue the review queue
 * @param reviewers independent reviewers needed (at least one)
 * @param sla time allowed from submission to verdict
 * @param blind whether reviewers are shown the model's recommendation
 * @param reasonCodes the reason codes a verdict may give, a set kept sorted; empty means the
 *     policy's own list
 */
public record ReviewSettings(
    String queue, int reviewers, Duration sla, boolean blind, List<String> reasonCodes) {

  /** Where decisions go when a policy cannot be applied at all. */
  public static final ReviewSettings FAIL_SAFE =
      new ReviewSettings("fail-safe", 1, Duration.ofHours(4), false);

  public ReviewSettings {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(sla, "sla");
    if (reviewers < 1) {
      throw new IllegalArgumentException("reviewers must be at least 1");
    }
    reasonCodes = reasonCodes.stream().distinct().sorted().toList();
  }

  /**
   * These settings made at least as strict as {@code other}'s: the most reviewers, blind if either
   * is, the shorter SLA. The queue and reason codes stay these: they say where the review happens,
   * not how strictly.
   */
  public ReviewSettings strictest(ReviewSettings other) {
    return new ReviewSettings(
        queue,
        Math.max(reviewers, other.reviewers),
        sla.compareTo(other.sla) <= 0 ? sla : other.sla,
        blind || other.blind,
        reasonCodes);
  }

  /** What {@code other} makes stricter here, in words; empty when nothing. */
  public List<String> tightenedBy(ReviewSettings other) {
    List<String> tightened = new java.util.ArrayList<>(3);
    if (other.reviewers > reviewers) {
      tightened.add("reviewers " + other.reviewers + " (was " + reviewers + ")");
    }
    if (other.blind && !blind) {
      tightened.add("blind");
    }
    if (other.sla.compareTo(sla) < 0) {
      tightened.add("sla " + other.sla + " (was " + sla + ")");
    }
    return tightened;
  }

  /** Settings that leave the reason codes to the policy. */
  public ReviewSettings(String queue, int reviewers, Duration sla, boolean blind) {
    this(queue, reviewers, sla, blind, List.of());
  }
}
