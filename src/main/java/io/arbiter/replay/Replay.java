package io.arbiter.replay;

import io.arbiter.decision.RecordedDecision;
import io.arbiter.policy.Evaluation;
import java.util.List;

/**
 * A decision evaluated again from its recorded facts with its recorded policy version.
 *
 * @param differences what differs from the recording, in words; empty when replay reproduced it
 */
public record Replay(
    RecordedDecision recorded, Evaluation replayed, boolean qaSampled, List<String> differences) {

  public Replay {
    differences = List.copyOf(differences);
  }

  public boolean matches() {
    return differences.isEmpty();
  }
}
