package io.arbiter.registry;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** What the graph already holds about models and the data they learn from. */
public interface RegistryRecords {

  /** Every model version registered so far (including those recorded without a document). */
  Set<ModelVersionRef> registeredVersions();

  /**
   * Every registry event with a document, in the order recorded: {@code registry.*-registered},
   * {@code model.registered} and {@code model.approved}.
   *
   * @param document the JSON document kept with the event (for an approval, {@code {"note":...}})
   */
  record RecordedEntry(
      long sequence, String type, String subjectIri, String document, String actor, Instant time) {}

  List<RecordedEntry> registryHistory();
}
