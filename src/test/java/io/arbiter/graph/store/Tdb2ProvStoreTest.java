package io.arbiter.graph.store;

import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on TDB2 on disk, the default store. */
class Tdb2ProvStoreTest extends ProvStoreContract {

  @TempDir Path dir;

  @Override
  protected ProvStore open() {
    return Tdb2ProvStore.open(dir, TestStore.IRIS);
  }

  @Override
  protected ProvStore reopen(ProvStore store) {
    store.close();
    return Tdb2ProvStore.open(dir, TestStore.IRIS);
  }
}
