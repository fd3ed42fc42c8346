package io.arbiter.registry;

import io.arbiter.config.SeedFile;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which model versions may make decisions. Registered versions live in the graph; seed files add
 * versions at start-up, each recorded once as a {@code model.registered} event.
 */
public final class ModelRegistry {

  /** The agent name under which Arbiter records what it does by itself. */
  public static final String SYSTEM_ACTOR = "arbiter";

  private final ModelRecords records;
  private final EventLog log;
  private final Clock clock;
  private final IriScheme iris;
  private final Set<ModelVersionRef> registered = ConcurrentHashMap.newKeySet();

  public ModelRegistry(ModelRecords records, EventLog log, Clock clock, IriScheme iris) {
    this.records = records;
    this.log = log;
    this.clock = clock;
    this.iris = iris;
  }

  /**
   * Loads what the graph holds and registers every seeded version not yet there. Blocks until the
   * new registrations are durable; fails start-up on an invalid seed.
   */
  public void start(List<SeedFile> seeds) {
    registered.addAll(records.registeredVersions());
    for (SeedFile seed : seeds) {
      ModelVersion model = ModelSeedParser.parse(seed.name(), seed.text());
      if (!registered.contains(model.ref())) {
        register(model, SYSTEM_ACTOR);
      }
    }
  }

  /** Records a new model version; a version already registered is left as it is. */
  public synchronized void register(ModelVersion model, String actor) {
    if (registered.contains(model.ref())) {
      return;
    }
    var event =
        new ModelVersion.Registered(
            model,
            actor,
            clock.instant(),
            iris.modelVersion(model.ref().name(), model.ref().version()));
    try {
      log.append(event).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new IllegalStateException("could not record " + model.ref(), e.getCause());
    }
    registered.add(model.ref());
  }

  public boolean isRegistered(ModelVersionRef ref) {
    return registered.contains(ref);
  }
}
