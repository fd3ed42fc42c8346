package io.arbiter.drift;

import io.arbiter.config.Periodic;
import io.arbiter.config.StartupOrder;
import io.arbiter.decision.DecisionService;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.registry.ModelRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the drift monitor, loads references and raised alarms at start-up, connects it to intake
 * (drift facts in, recorded decisions out) and assesses on the container's managed scheduler.
 */
@ApplicationScoped
public class DriftWiring {

  @Resource ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> assessing;

  @Produces
  @Singleton
  DriftMonitor monitor(
      ModelRegistry registry,
      EventLog log,
      Clock clock,
      IriScheme iris,
      @ConfigProperty(name = "arbiter.drift.window") int window,
      @ConfigProperty(name = "arbiter.drift.min-samples") int minSamples,
      @ConfigProperty(name = "arbiter.drift.psi-alarm") double psiAlarm,
      @ConfigProperty(name = "arbiter.drift.psi-clear") double psiClear,
      @ConfigProperty(name = "arbiter.drift.ks-alarm") double ksAlarm,
      @ConfigProperty(name = "arbiter.drift.ks-clear") double ksClear,
      @ConfigProperty(name = "arbiter.drift.interval") String interval) {
    DriftSettings settings =
        new DriftSettings(
            window, minSamples, psiAlarm, psiClear, ksAlarm, ksClear, Duration.parse(interval));
    return new DriftMonitor(registry, log, clock, iris, settings);
  }

  void start(
      @Observes @Priority(StartupOrder.DRIFT) @Initialized(ApplicationScoped.class) Object event,
      DriftMonitor monitor,
      DriftRecords records,
      DecisionService decisions) {
    monitor.start(records);
    decisions.driftFacts(monitor::factsFor);
    decisions.onRecorded(monitor::observe);
    assessing =
        Periodic.every(
            scheduler, monitor.settings().interval(), "drift assessment", monitor::assess);
  }

  @PreDestroy
  void stop() {
    if (assessing != null) {
      assessing.cancel(false);
    }
  }
}
