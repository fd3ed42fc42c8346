package io.arbiter.slo;

import io.arbiter.config.Periodic;
import io.arbiter.config.SeedFile;
import io.arbiter.config.SeedFiles;
import io.arbiter.config.StartupOrder;
import io.arbiter.decision.DecisionService;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the objectives, loads breaches under way, counts intake and settlements, and evaluates on
 * the container's managed scheduler.
 */
@ApplicationScoped
public class SloWiring {

  static final String BUNDLED = "demo/slo/objectives.yaml";

  @Resource ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> evaluating;

  @Produces
  @Singleton
  SloMonitor monitor(
      EventLog log,
      Clock clock,
      IriScheme iris,
      @ConfigProperty(name = "arbiter.slo.file") Optional<String> file) {
    SeedFile source =
        file.map(SloWiring::read)
            .orElseGet(() -> SeedFiles.read(Optional.empty(), List.of(BUNDLED)).get(0));
    return new SloMonitor(ObjectivesParser.parse(source.name(), source.text()), log, clock, iris);
  }

  void start(
      @Observes @Priority(StartupOrder.REVIEWS + 5) @Initialized(ApplicationScoped.class)
          Object event,
      SloMonitor monitor,
      SloRecords records,
      DecisionService decisions,
      Clock clock,
      @ConfigProperty(name = "arbiter.slo.interval") String interval) {
    monitor.start(records);
    decisions.onRecorded(decision -> monitor.onRecorded(decision, clock.instant()));
    decisions.onResolved(
        (decision, resolution) ->
            monitor.onSettled(
                decision.model(),
                decision.tenant(),
                // Only for an objective scoped to a context value: contexts are not in memory.
                () ->
                    decisions
                        .find(decision.id())
                        .map(recorded -> recorded.decision().request().context())
                        .orElse(java.util.Map.of()),
                resolution));
    evaluating =
        Periodic.every(scheduler, Duration.parse(interval), "SLO evaluation", monitor::evaluate);
  }

  @PreDestroy
  void stop() {
    if (evaluating != null) {
      evaluating.cancel(false);
    }
  }

  private static SeedFile read(String file) {
    try {
      return new SeedFile(file, Files.readString(Path.of(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read objectives " + file, e);
    }
  }
}
