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

  /**
   * Ready when the ledger signer works: its last attempt to sign and store a checkpoint succeeded.
   * Reports how many entries no signed checkpoint covers yet.
   */
  @Readiness
  @ApplicationScoped
  public static class SignerReady implements HealthCheck {
    @Inject GraphRuntime runtime;
    @Inject io.arbiter.ledger.CheckpointPublisher publisher;

    @Override
    public HealthCheckResponse call() {
      var failure = publisher.failure();
      long signed = publisher.latest().map(c -> c.size()).orElse(0L);
      var response =
          HealthCheckResponse.named("ledger-signer")
              .status(failure.isEmpty())
              .withData("logSize", runtime.tree().size())
              .withData("checkpointSize", signed)
              .withData("unsigned", runtime.tree().size() - signed);
      failure.ifPresent(f -> response.withData("failure", f));
      return response.build();
    }
  }

  /**
   * Intake asks this before taking a decision: it refuses ({@code not-ready}) rather than accept
   * what it could not record (writer stopped) or prove (signer failing).
   */
  static java.util.Optional<String> intakeRefusal(
      GraphRuntime runtime, io.arbiter.ledger.CheckpointPublisher publisher) {
    if (!runtime.writer().isRunning()) {
      return java.util.Optional.of("the event writer has stopped");
    }
    return publisher.failure().map(f -> "the ledger signer is failing: " + f);
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
