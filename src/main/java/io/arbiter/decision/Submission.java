package io.arbiter.decision;

/**
 * The answer to a submission.
 *
 * @param replayed true when an earlier request with the same Idempotency-Key and body produced it
 */
public record Submission(RecordedDecision recorded, boolean replayed) {}
