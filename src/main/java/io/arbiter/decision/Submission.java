package io.arbiter.decision;

import java.util.List;

/**
 * The answer to a submission.
 *
 * @param replayed true when an earlier request with the same Idempotency-Key and body produced it
 * @param warnings what the submitter should know and was not refused for: inputs the policy does
 *     not declare, dropped from the record
 */
public record Submission(RecordedDecision recorded, boolean replayed, List<String> warnings) {

  public Submission {
    warnings = List.copyOf(warnings);
  }
}
