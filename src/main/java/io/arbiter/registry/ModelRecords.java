package io.arbiter.registry;

import java.util.Set;

/** What the graph already holds about models. */
public interface ModelRecords {

  /** Every model version registered so far. */
  Set<ModelVersionRef> registeredVersions();
}
