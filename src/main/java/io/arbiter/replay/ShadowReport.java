package io.arbiter.replay;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a shadow version agreed with what was applied.
 *
 * @param byRoutePair decisions by {@code applied→shadow} route, agreements included
 * @param disagreements one page of decisions where the routes differ, newest first
 */
public record ShadowReport(
    String policyId,
    String version,
    long compared,
    long agreed,
    Map<String, Long> byRoutePair,
    List<PolicyOutcomes.ShadowOutcome> disagreements,
    Optional<Long> nextOffset) {

  public double agreement() {
    return compared == 0 ? 0 : (double) agreed / compared;
  }
}
