package io.arbiter.policy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the graph holds about policies: every version and every step of their lives. */
public interface PolicyRecords {

  /** A recorded event about a policy, in the order it was recorded. */
  sealed interface Entry permits RecordedVersion, RecordedTransition {}

  /** A {@code policy.registered} event: the document as it was submitted, and by whom. */
  record RecordedVersion(
      String policyId,
      String version,
      String source,
      String contentHash,
      String author,
      Instant time,
      Optional<String> previousVersion)
      implements Entry {}

  /** A lifecycle step. */
  record RecordedTransition(PolicyTransitioned event) implements Entry {}

  /** Every policy event, oldest first. */
  List<Entry> history();
}
