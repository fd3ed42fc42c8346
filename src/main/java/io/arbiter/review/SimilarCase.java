package io.arbiter.review;

import java.util.Optional;

/**
 * A past case like the one under review, and how it ended: what reviewers decided on cases like it.
 *
 * @param modelLabel the model's recommendation then
 * @param confidence the model's confidence then
 * @param reasonCode the reason code of the step that settled it (none for the SLA's fail-safe)
 * @param groundTruth what it should have been, where that was recorded later
 */
public record SimilarCase(
    String decisionId,
    String modelLabel,
    double confidence,
    Outcome outcome,
    Settlement.Basis basis,
    boolean overridden,
    Optional<String> reasonCode,
    Optional<Outcome> groundTruth) {}
