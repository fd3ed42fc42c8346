package io.arbiter.decision;

import io.arbiter.config.SeedFile;
import io.arbiter.config.SeedFiles;
import io.arbiter.config.StartupOrder;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.PolicyCatalog;
import io.arbiter.registry.ModelRegistry;
import io.arbiter.security.TokenTenants;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the decision service and rebuilds its index from the graph at start-up. */
@ApplicationScoped
public class DecisionWiring {

  private static final Logger LOG = Logger.getLogger(DecisionWiring.class.getName());
  static final String BUNDLED_GRANTS = "demo/tenants/grants.yaml";

  /** Reads pages of recorded decisions ahead for backtests and reports. */
  @jakarta.annotation.Resource jakarta.enterprise.concurrent.ManagedExecutorService executor;

  @jakarta.annotation.Resource
  jakarta.enterprise.concurrent.ManagedScheduledExecutorService scheduler;

  private java.util.concurrent.ScheduledFuture<?> tallying;

  @Produces
  @Singleton
  DecisionService service(
      ModelRegistry registry,
      PolicyCatalog policies,
      TenantGrants grants,
      EventLog log,
      DecisionRecords records,
      IriScheme iris,
      Clock clock) {
    DecisionService service =
        new DecisionService(
            registry, policies, grants, log, new DecisionIndex(), records, iris, clock);
    service.loadWith(executor);
    return service;
  }

  /**
   * The tenant grants from {@code arbiter.tenants-file}, else the bundled demo grants. Read when
   * the decision service is built at start-up; a bad file stops the application.
   */
  @Produces
  @Singleton
  TenantGrants grants(
      @ConfigProperty(name = "arbiter.tenants-file") Optional<String> file,
      TokenTenants tokenTenants) {
    SeedFile source = file.map(DecisionWiring::read).orElseGet(DecisionWiring::bundledGrants);
    TenantGrants grants = TenantGrants.parse(source.name(), source.text());
    LOG.info(() -> "Tenant grants for " + grants.callers() + " callers read from " + source.name());
    if (file.isEmpty()) {
      LOG.warning(
          "arbiter.tenants-file is not set: the bundled demo grants are in force (the user"
              + " 'integrator' may name the demo tenants); set it in production");
    }
    // A single sign-on token's tenant claim grants its tenants too (io.arbiter.security).
    return grants.alsoFrom(tokenTenants);
  }

  /** The bundled demo grants, read the way bundled seed documents are. */
  static SeedFile bundledGrants() {
    return SeedFiles.read(Optional.empty(), List.of(BUNDLED_GRANTS)).get(0);
  }

  private static SeedFile read(String file) {
    try {
      return new SeedFile(file, Files.readString(Path.of(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tenant grants " + file, e);
    }
  }

  void start(
      @Observes @Priority(StartupOrder.DECISIONS) @Initialized(ApplicationScoped.class)
          Object event,
      DecisionService service,
      @ConfigProperty(name = "arbiter.hours.tally-interval") String tallyInterval) {
    long started = System.nanoTime();
    service.start();
    LOG.info(
        () ->
            "Decision index rebuilt from the graph in "
                + (System.nanoTime() - started) / 1_000_000
                + " ms");
    tallying =
        io.arbiter.config.Periodic.every(
            scheduler,
            java.time.Duration.parse(tallyInterval),
            "hour tally",
            service::tallyClosedHours);
  }

  @jakarta.annotation.PreDestroy
  void stop() {
    if (tallying != null) {
      tallying.cancel(false);
    }
  }
}
