package io.arbiter.ledger;

import io.arbiter.config.DataDirectory;
import io.arbiter.config.StartupOrder;
import io.arbiter.event.IriScheme;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the ledger: the Merkle tree (filled by the graph's writer), the signing key, and the
 * checkpoint publisher that signs a new checkpoint within {@code
 * arbiter.ledger.checkpoint-interval-ms} whenever the tree grew.
 */
@ApplicationScoped
public class LedgerWiring {

  private static final Logger LOG = Logger.getLogger(LedgerWiring.class.getName());

  @Produces
  @Singleton
  MerkleTree tree() {
    return new MerkleTree();
  }

  @Produces
  @Singleton
  CheckpointPublisher publisher(
      MerkleTree tree,
      IriScheme iris,
      @DataDirectory Path dataDirectory,
      @ConfigProperty(name = "arbiter.ledger.origin") Optional<String> origin,
      @ConfigProperty(name = "arbiter.ledger.key-file") Optional<String> keyFile,
      LedgerEntries entries) {
    String name = origin.orElseGet(() -> defaultOrigin(iris));
    NoteKey key =
        LedgerKeys.load(keyFile.map(Path::of), dataDirectory.resolve("keys/ledger.key"), name);
    LOG.info(() -> "Arbiter ledger " + name + ", checkpoint verifier key " + key.verifierKey());
    return new CheckpointPublisher(
        tree,
        key,
        name,
        dataDirectory.resolve("ledger/checkpoint"),
        new TileStore(dataDirectory.resolve("ledger"), entries));
  }

  /**
   * The log's name when none is configured: the base IRI without its scheme, plus {@code ledger}.
   */
  static String defaultOrigin(IriScheme iris) {
    return iris.ledgerGraph().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
  }

  @Produces
  @Singleton
  ScheduledExecutorService checkpointScheduler() {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread thread = new Thread(task, "arbiter-checkpoints");
          thread.setDaemon(true);
          return thread;
        });
  }

  void stop(@Disposes ScheduledExecutorService scheduler) {
    scheduler.shutdownNow();
  }

  /**
   * Before the application's beans are destroyed — the journal among them, in no set order — stop
   * signing on the schedule and sign a last checkpoint over everything recorded: a scheduled
   * signing must not run against a closed journal, and a clean stop should leave every recorded
   * event proven, not only those up to the last tick.
   */
  static void finish(
      @Observes @BeforeDestroyed(ApplicationScoped.class) Object event,
      ScheduledExecutorService scheduler,
      CheckpointPublisher publisher) {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warning("a checkpoint signing still ran at stop; no last checkpoint signed");
        return;
      }
      publisher.publish();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "the last checkpoint could not be signed at stop", e);
    }
  }

  static void start(
      @Observes @Priority(StartupOrder.LEDGER) @Initialized(ApplicationScoped.class) Object event,
      CheckpointPublisher publisher,
      ScheduledExecutorService scheduler,
      @ConfigProperty(name = "arbiter.ledger.checkpoint-interval-ms") long intervalMs) {
    if (intervalMs <= 0) {
      throw new IllegalStateException("arbiter.ledger.checkpoint-interval-ms must be positive");
    }
    publisher.start();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            publisher.publish();
          } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "checkpoint signing failed", e);
          }
        },
        intervalMs,
        intervalMs,
        TimeUnit.MILLISECONDS);
  }
}
