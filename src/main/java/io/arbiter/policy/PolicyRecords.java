package io.arbiter.policy;

import java.util.Optional;

/** What the graph already holds about policy versions. */
public interface PolicyRecords {

  /** The content hash recorded for a policy version, if that version was recorded. */
  Optional<String> contentHash(String policyId, String version);
}
