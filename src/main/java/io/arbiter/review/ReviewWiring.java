package io.arbiter.review;

import io.arbiter.config.Periodic;
import io.arbiter.config.SeedFile;
import io.arbiter.config.SeedFiles;
import io.arbiter.config.StartupOrder;
import io.arbiter.decision.DecisionService;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.PolicyCatalog;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the review service, rebuilds the tasks from the graph at start-up and runs the SLA sweep
 * on the container's managed scheduler.
 */
@ApplicationScoped
public class ReviewWiring {

  private static final Logger LOG = Logger.getLogger(ReviewWiring.class.getName());
  static final String BUNDLED_QUEUES = "demo/review/queues.yaml";

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "arbiter.review.sweep-interval-ms")
  long sweepIntervalMs;

  private ScheduledFuture<?> sweeping;

  /** When the SLA sweep last finished, for the readiness check. */
  private final java.util.concurrent.atomic.AtomicReference<java.time.Instant> lastSweep =
      new java.util.concurrent.atomic.AtomicReference<>();

  java.util.Optional<java.time.Instant> lastSweep() {
    return java.util.Optional.ofNullable(lastSweep.get());
  }

  @Produces
  @Singleton
  ReviewQueues queues(@ConfigProperty(name = "arbiter.review.queues-file") Optional<String> file) {
    return file.map(ReviewWiring::readFile).orElseGet(ReviewWiring::readBundled);
  }

  @Produces
  @Singleton
  ReviewService service(
      ReviewRecords records,
      EventLog log,
      IriScheme iris,
      PolicyCatalog policies,
      ReviewQueues queues,
      DecisionService decisions,
      Clock clock,
      @io.arbiter.config.DataDirectory java.nio.file.Path dataDirectory) {
    return new ReviewService(
        records,
        decisions,
        log,
        iris,
        policies,
        queues,
        clock,
        aliasSecret(dataDirectory.resolve("keys/review-aliases.key")));
  }

  /**
   * The secret blind tasks' rule aliases are drawn with: read from {@code file}, or made there,
   * owner-only and forced to disk, on first start (as the ledger key is).
   */
  static AliasSecret aliasSecret(java.nio.file.Path file) {
    try {
      if (java.nio.file.Files.exists(file)) {
        return new AliasSecret(
            java.util.Base64.getDecoder()
                .decode(java.nio.file.Files.readString(file, StandardCharsets.UTF_8).strip()));
      }
      byte[] secret = AliasSecret.generate();
      io.arbiter.config.DurableFiles.replace(
          file,
          (java.util.Base64.getEncoder().encodeToString(secret) + "\n")
              .getBytes(StandardCharsets.UTF_8),
          io.arbiter.config.DurableFiles.OWNER_ONLY);
      return new AliasSecret(secret);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read or write " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " holds no rule-alias secret: " + e.getMessage(), e);
    }
  }

  void start(
      @Observes @Priority(StartupOrder.REVIEWS) @Initialized(ApplicationScoped.class) Object event,
      ReviewService service) {
    long started = System.nanoTime();
    service.start();
    LOG.info(
        () ->
            "Review tasks rebuilt from the graph in "
                + (System.nanoTime() - started) / 1_000_000
                + " ms");
    if (sweepIntervalMs <= 0) {
      throw new IllegalStateException(
          "arbiter.review.sweep-interval-ms must be positive, not " + sweepIntervalMs);
    }
    sweeping =
        Periodic.every(
            scheduler, Duration.ofMillis(sweepIntervalMs), "SLA sweep", () -> sweep(service));
  }

  /** One SLA sweep; it counts as done for readiness only when it finished. */
  private void sweep(ReviewService service) {
    List<ReviewEvent> recorded = service.sweep();
    lastSweep.set(java.time.Instant.now());
    if (!recorded.isEmpty()) {
      LOG.fine(() -> "SLA sweep recorded " + recorded.size() + " steps");
    }
  }

  @PreDestroy
  void stop() {
    if (sweeping != null) {
      sweeping.cancel(false);
    }
  }

  private static ReviewQueues readFile(String file) {
    try {
      return ReviewQueues.parse(file, Files.readString(Path.of(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read review queues " + file, e);
    }
  }

  /** The bundled demo queues, read the way bundled seed documents are. */
  private static ReviewQueues readBundled() {
    SeedFile bundled = SeedFiles.read(Optional.empty(), List.of(BUNDLED_QUEUES)).get(0);
    return ReviewQueues.parse(bundled.name(), bundled.text());
  }
}
