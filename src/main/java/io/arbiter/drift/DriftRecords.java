package io.arbiter.drift;

import io.arbiter.registry.ModelVersionRef;
import java.util.Map;

/** What the graph already holds about drift, read at start-up. */
public interface DriftRecords {

  /** A recorded reference profile and its IRI. */
  record StoredReference(ReferenceProfile profile, String iri) {}

  /** The latest reference profile of every model version that has one. */
  Map<ModelVersionRef, StoredReference> latestReferences();

  /** The id of the alarm raised and not cleared, per model version. */
  Map<ModelVersionRef, String> openAlarms();
}
