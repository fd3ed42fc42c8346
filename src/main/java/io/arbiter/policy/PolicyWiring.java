package io.arbiter.policy;

import io.arbiter.config.SeedFiles;
import io.arbiter.config.StartupOrder;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.registry.ModelRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the policy catalogue and loads the policies at start-up. A policy that does not parse or
 * type-check stops the application, with the file, rule and position in the log.
 */
@ApplicationScoped
public class PolicyWiring {

  private static final Logger LOG = Logger.getLogger(PolicyWiring.class.getName());

  /** The demo policy shipped in the application, used when no folder is configured. */
  static final List<String> BUNDLED = List.of("demo/policies/demo-credit.yaml");

  @Produces
  @Singleton
  PolicyCatalog catalog(
      PolicyRecords records,
      EventLog log,
      Clock clock,
      IriScheme iris,
      @ConfigProperty(name = "arbiter.policy.evaluation-deadline-ms") long deadlineMs) {
    if (deadlineMs <= 0) {
      throw new IllegalStateException(
          "arbiter.policy.evaluation-deadline-ms must be positive, not " + deadlineMs);
    }
    return new PolicyCatalog(records, log, clock, iris, Duration.ofMillis(deadlineMs));
  }

  static void start(
      @Observes @Priority(StartupOrder.POLICIES) @Initialized(ApplicationScoped.class) Object event,
      PolicyCatalog catalog,
      @ConfigProperty(name = "arbiter.policy.dir") Optional<String> folder)
      throws PolicyDocumentException {
    try {
      catalog.start(SeedFiles.read(folder.map(Path::of), BUNDLED), ModelRegistry.SYSTEM_ACTOR);
    } catch (PolicyDocumentException e) {
      LOG.severe(e.getMessage());
      throw e;
    }
  }
}
