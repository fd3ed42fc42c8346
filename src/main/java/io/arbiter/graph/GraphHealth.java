package io.arbiter.graph;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Health of the graph: ready when the store answers a read and the writer is running. */
public final class GraphHealth {

  private GraphHealth() {}

  /** Ready to take decisions: the store reads and the single writer runs. */
  @Readiness
  @ApplicationScoped
  public static class Ready implements HealthCheck {
    @Inject GraphRuntime runtime;

    @Override
    public HealthCheckResponse call() {
      boolean store = runtime.store().isHealthy();
      boolean writer = runtime.writer().isRunning();
      return HealthCheckResponse.named("graph-store")
          .status(store && writer)
          .withData("store", store ? "up" : "down")
          .withData("writer", writer ? "running" : "stopped")
          .build();
    }
  }

  /** Alive while the writer thread runs: a dead writer means nothing can be recorded. */
  @Liveness
  @ApplicationScoped
  public static class Alive implements HealthCheck {
    @Inject GraphRuntime runtime;

    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.named("event-writer").status(runtime.writer().isRunning()).build();
    }
  }
}
