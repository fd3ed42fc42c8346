package io.arbiter.review;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the SLA sweep runs: if it stops, deadlines pass without their fail-safe, so the
 * server must not claim to be ready. Allowed ten intervals (at least 30 s) between sweeps; until
 * the first sweep, as long after start.
 */
@Readiness
@ApplicationScoped
public class ReviewHealth implements HealthCheck {

  private final Instant created = Instant.now();

  @Inject ReviewWiring wiring;

  @Inject
  @ConfigProperty(name = "arbiter.review.sweep-interval-ms")
  long sweepIntervalMs;

  @Override
  public HealthCheckResponse call() {
    Duration allowed = Duration.ofMillis(Math.max(30_000, 10 * sweepIntervalMs));
    Instant last = wiring.lastSweep().orElse(null);
    Instant since = last != null ? last : created;
    boolean running = Duration.between(since, Instant.now()).compareTo(allowed) <= 0;
    var response = HealthCheckResponse.named("review-sla-sweep").status(running);
    if (last != null) {
      response.withData("lastSweep", last.toString());
    }
    return response.build();
  }
}
