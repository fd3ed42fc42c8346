package io.arbiter.decision;

import io.arbiter.config.StartupOrder;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.PolicyCatalog;
import io.arbiter.registry.ModelRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.logging.Logger;

/** Builds the decision service and rebuilds its index from the graph at start-up. */
@ApplicationScoped
public class DecisionWiring {

  private static final Logger LOG = Logger.getLogger(DecisionWiring.class.getName());

  /** Reads pages of recorded decisions ahead for backtests and reports. */
  @jakarta.annotation.Resource jakarta.enterprise.concurrent.ManagedExecutorService executor;

  @Produces
  @Singleton
  DecisionService service(
      ModelRegistry registry,
      PolicyCatalog policies,
      EventLog log,
      DecisionRecords records,
      IriScheme iris,
      Clock clock) {
    DecisionService service =
        new DecisionService(registry, policies, log, new DecisionIndex(), records, iris, clock);
    service.loadWith(executor);
    return service;
  }

  static void start(
      @Observes @Priority(StartupOrder.DECISIONS) @Initialized(ApplicationScoped.class)
          Object event,
      DecisionService service) {
    long started = System.nanoTime();
    service.start();
    LOG.info(
        () ->
            "Decision index rebuilt from the graph in "
                + (System.nanoTime() - started) / 1_000_000
                + " ms");
  }
}
