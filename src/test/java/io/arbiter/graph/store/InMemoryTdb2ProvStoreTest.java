package io.arbiter.graph.store;

import io.arbiter.testing.TestStore;
import org.junit.jupiter.api.Assumptions;

/** The store contract on TDB2 in memory. */
class InMemoryTdb2ProvStoreTest extends ProvStoreContract {

  @Override
  protected ProvStore open() {
    return Tdb2ProvStore.inMemory(TestStore.IRIS);
  }

  @Override
  protected ProvStore reopen(ProvStore store) {
    Assumptions.abort("nothing survives an in-memory store");
    return store;
  }
}
