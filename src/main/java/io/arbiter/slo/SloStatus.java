package io.arbiter.slo;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * An objective's state at its last evaluation.
 *
 * @param sli the share of good events, or the rate for a band objective; empty without events
 * @param burnRate (1 − SLI) / (1 − target): 1 burns the error budget exactly as fast as the target
 *     allows, above 1 faster; empty for band objectives and without events
 * @param budgetRemaining 1 − burn rate: the share of the window's error budget left (negative when
 *     overspent)
 * @param judged whether the window held at least the objective's minimum of events
 * @param breach the id of the breach under way, if any
 */
public record SloStatus(
    Objective objective,
    long good,
    long total,
    OptionalDouble sli,
    OptionalDouble burnRate,
    OptionalDouble budgetRemaining,
    boolean judged,
    Optional<String> breach,
    Optional<Instant> evaluatedAt) {}
