package io.arbiter.graph.api;

import io.arbiter.graph.store.GraphRuntime;
import io.arbiter.graph.store.IntakeBounds;
import io.arbiter.graph.store.Projector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Health of the write path: the journal takes events, and the graph keeps up with it. A store that
 * fails does not stop intake; the projection's check says how far behind it is and why.
 */
public final class GraphHealth {

  private GraphHealth() {}

  // A directory part of an absolute path: /a/b/ in /a/b/file.
  private static final java.util.regex.Pattern DIRECTORIES =
      java.util.regex.Pattern.compile("(?<![\\w.])/(?:[^/\\s:'\"]+/)+");

  /**
   * A failure as the (public) health endpoints show it: without the directories of the files it
   * names, which tell a caller without a login how the server's disks are laid out. The server's
   * log keeps the whole message.
   */
  static String withoutPaths(String failure) {
    return DIRECTORIES.matcher(failure).replaceAll("…/");
  }

  /** Ready to record: the journal's sequencer runs. */
  @Readiness
  @ApplicationScoped
  public static class Journal implements HealthCheck {
    @Inject GraphRuntime runtime;

    @Override
    public HealthCheckResponse call() {
      var journal = runtime.journal();
      var response =
          HealthCheckResponse.named("journal")
              .status(journal.isRunning())
              .withData("events", journal.size())
              .withData("bytes", journal.diskBytes());
      journal.failure().ifPresent(f -> response.withData("failure", withoutPaths(f)));
      return response.build();
    }
  }

  /**
   * Up while the graph keeps within intake's bounds of the journal (then decisions are taken); down
   * while it is held back. Reports the lag, whether the store answers, and why it fails if it does.
   */
  @Readiness
  @ApplicationScoped
  public static class Projection implements HealthCheck {
    @Inject GraphRuntime runtime;
    @Inject IntakeBounds bounds;

    @Override
    public HealthCheckResponse call() {
      Projector projector = runtime.projector();
      var exceeded = bounds.exceeded(runtime);
      var response =
          HealthCheckResponse.named("graph-projection")
              .status(exceeded.isEmpty())
              .withData("projected", projector.projected())
              .withData("lagEvents", projector.lagRecords())
              .withData("lagMillis", projector.lag().toMillis())
              .withData("store", runtime.store().isHealthy() ? "up" : "down");
      projector.failure().ifPresent(f -> response.withData("failure", withoutPaths(f)));
      if (projector.failure().isPresent()) {
        response.withData("failingForMillis", projector.failingFor().toMillis());
      }
      exceeded.ifPresent(why -> response.withData("intake", "held back: " + why));
      return response.build();
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
      failure.ifPresent(f -> response.withData("failure", withoutPaths(f)));
      return response.build();
    }
  }

  /**
   * Intake asks this before taking a decision: it refuses ({@code not-ready}) rather than accept
   * what it could not record (journal stopped), prove (signer failing), or what would run the graph
   * too far behind (see {@link IntakeBounds}).
   */
  public static java.util.Optional<String> intakeRefusal(
      GraphRuntime runtime, io.arbiter.ledger.CheckpointPublisher publisher, IntakeBounds bounds) {
    if (!runtime.isWriting()) {
      return java.util.Optional.of(
          "the journal has stopped" + runtime.journal().failure().map(f -> ": " + f).orElse(""));
    }
    var failing = publisher.failure();
    if (failing.isPresent()) {
      return java.util.Optional.of("the ledger signer is failing: " + failing.get());
    }
    return bounds.exceeded(runtime);
  }

  /** Alive while the journal's sequencer runs: without it nothing can be recorded. */
  @Liveness
  @ApplicationScoped
  public static class Alive implements HealthCheck {
    @Inject GraphRuntime runtime;

    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.named("journal").status(runtime.isWriting()).build();
    }
  }
}
