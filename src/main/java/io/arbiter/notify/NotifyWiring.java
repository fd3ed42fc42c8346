package io.arbiter.notify;

import io.arbiter.config.DataDirectory;
import io.arbiter.config.StartupOrder;
import io.arbiter.decision.DecisionService;
import io.arbiter.event.IriScheme;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the callback registry and dispatcher, and sends a callback for every settlement. */
@ApplicationScoped
public class NotifyWiring {

  @Resource ManagedScheduledExecutorService scheduler;

  @Produces
  @Singleton
  CallbackTargets targets(
      @ConfigProperty(name = "arbiter.callbacks.allow-private-addresses") boolean allowPrivate,
      @ConfigProperty(name = "arbiter.callbacks.require-https") boolean requireHttps) {
    return new CallbackTargets(allowPrivate, requireHttps);
  }

  @Produces
  @Singleton
  CallbackRegistry registry(
      @DataDirectory Path dataDirectory, Clock clock, CallbackTargets targets) {
    return new CallbackRegistry(
        dataDirectory.resolve("callbacks/registrations.json"), clock, targets);
  }

  @Produces
  @Singleton
  CallbackDispatcher dispatcher(
      CallbackRegistry registry,
      CallbackTargets targets,
      @DataDirectory Path dataDirectory,
      Clock clock,
      @ConfigProperty(name = "arbiter.callbacks.first-retry-ms") long firstRetryMs,
      @ConfigProperty(name = "arbiter.callbacks.max-retry-ms") long maxRetryMs,
      @ConfigProperty(name = "arbiter.callbacks.attempts") int attempts) {
    return new CallbackDispatcher(
        registry,
        dataDirectory.resolve("callbacks/dead-letters.json"),
        scheduler,
        new Backoff(Duration.ofMillis(firstRetryMs), Duration.ofMillis(maxRetryMs), attempts),
        clock,
        targets);
  }

  static void start(
      @Observes @Priority(StartupOrder.NOTIFY) @Initialized(ApplicationScoped.class) Object event,
      DecisionService decisions,
      CallbackDispatcher dispatcher,
      IriScheme iris) {
    decisions.onResolved(
        (decision, resolution) ->
            dispatcher.deliver(
                decision.submittedBy(),
                decision.id().value(),
                SettlementMessage.json(decision, resolution, iris)));
  }
}
