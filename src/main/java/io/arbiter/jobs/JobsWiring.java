package io.arbiter.jobs;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the job registry on the container's managed executor: how many jobs run at once is bounded
 * by the permits each kind of report acquires before it submits, not by this executor.
 */
@ApplicationScoped
public class JobsWiring {

  @Resource ManagedExecutorService executor;

  @Inject
  @ConfigProperty(name = "arbiter.jobs.max-per-caller")
  int perCaller;

  @Inject
  @ConfigProperty(name = "arbiter.jobs.retention")
  Duration retention;

  @Produces
  @Singleton
  JobRegistry registry(Clock clock) {
    return new JobRegistry(clock, executor, new JobRegistry.Limits(perCaller, retention));
  }

  /** Stops every running report when the application stops. */
  void stop(@Disposes JobRegistry jobs) {
    jobs.cancelAll();
  }
}
