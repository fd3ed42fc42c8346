package io.arbiter.notify;

import io.arbiter.event.Jsonp;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Delivers settlement callbacks: a signed POST to the integrator's registered URL, tried again with
 * exponential backoff on any failure (no answer, or a status other than 2xx), and kept as a dead
 * letter when every attempt failed. Redirects are not followed, so a registered URL cannot bounce
 * deliveries elsewhere.
 */
public final class CallbackDispatcher {

  private static final Logger LOG = Logger.getLogger(CallbackDispatcher.class.getName());
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final CallbackRegistry registry;
  private final Path deadLetterFile;
  private final ScheduledExecutorService scheduler;
  private final HttpClient http;
  private final Backoff backoff;
  private final Clock clock;
  private final CallbackTargets targets;
  private final List<DeadLetter> deadLetters = new ArrayList<>();

  public CallbackDispatcher(
      CallbackRegistry registry,
      Path deadLetterFile,
      ScheduledExecutorService scheduler,
      Backoff backoff,
      Clock clock,
      CallbackTargets targets) {
    this.targets = targets;
    this.registry = registry;
    this.deadLetterFile = deadLetterFile;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            // Plain HTTP/1.1: no h2c upgrade dance with receivers of every make.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    for (JsonValue value : JsonFiles.readArray(deadLetterFile)) {
      deadLetters.add(fromJson(value.asJsonObject()));
    }
  }

  /** Sends {@code payload} about {@code decision} to the integrator, if they registered a URL. */
  public void deliver(String integrator, String decision, String payload) {
    if (registry.find(integrator).isPresent()) {
      schedule(() -> attempt(integrator, decision, payload, 1), Duration.ZERO);
    }
  }

  private void schedule(Runnable attempt, Duration delay) {
    try {
      scheduler.schedule(attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Shutting down: this delivery is lost with the process (see docs/reviews.md).
      LOG.warning("callback not scheduled, the scheduler is shutting down");
    }
  }

  /** The integrator's dead letters, oldest first; all of them for {@code null}. */
  public synchronized List<DeadLetter> deadLetters(String integrator) {
    return deadLetters.stream()
        .filter(d -> integrator == null || d.integrator().equals(integrator))
        .toList();
  }

  /**
   * Takes a dead letter off the list and delivers it again (to the integrator's current URL), with
   * a fresh set of attempts.
   */
  public Optional<DeadLetter> redeliver(String id, String integrator) {
    DeadLetter letter;
    synchronized (this) {
      Optional<DeadLetter> found =
          deadLetters.stream()
              .filter(d -> d.id().equals(id))
              .filter(d -> integrator == null || d.integrator().equals(integrator))
              .findFirst();
      if (found.isEmpty()) {
        return Optional.empty();
      }
      letter = found.get();
      if (registry.find(letter.integrator()).isEmpty()) {
        throw new io.arbiter.problem.ProblemException(
            io.arbiter.problem.ProblemType.STATE_CONFLICT,
            "No callback URL is registered to deliver dead letter "
                + id
                + " to; register one first.");
      }
      deadLetters.remove(letter);
      saveDeadLetters();
    }
    deliver(letter.integrator(), letter.decision(), letter.payload());
    return Optional.of(letter);
  }

  /**
   * One try, to the integrator's registration as it is now (a new URL or secret applies to retries
   * too; without a registration the delivery ends, as the integrator asked).
   */
  private void attempt(String integrator, String decision, String payload, int attempt) {
    Optional<CallbackRegistration> current = registry.find(integrator);
    if (current.isEmpty()) {
      LOG.fine(() -> "callback for " + decision + " dropped: " + integrator + " unregistered");
      return;
    }
    CallbackRegistration registration = current.get();
    String error;
    try {
      Optional<String> refused = targets.refusal(registration.url());
      if (refused.isPresent()) {
        throw new java.net.ConnectException("refused: " + refused.get());
      }
      long now = clock.instant().getEpochSecond();
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(registration.url())
                  .timeout(REQUEST_TIMEOUT)
                  .header("Content-Type", "application/json")
                  .header(
                      CallbackSignature.HEADER,
                      CallbackSignature.header(registration.secret(), now, payload))
                  .header("Arbiter-Attempt", Integer.toString(attempt))
                  .POST(HttpRequest.BodyPublishers.ofString(payload))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 == 2) {
        return;
      }
      error = "HTTP " + response.statusCode();
    } catch (IOException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    } catch (RuntimeException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    String failure = error;
    Optional<Duration> wait = backoff.after(attempt);
    if (wait.isPresent()) {
      LOG.fine(
          () ->
              "callback for "
                  + decision
                  + " failed ("
                  + failure
                  + "), attempt "
                  + attempt
                  + "; retrying in "
                  + wait.get());
      schedule(() -> attempt(integrator, decision, payload, attempt + 1), wait.get());
    } else {
      LOG.warning(
          () ->
              "callback for "
                  + decision
                  + " to "
                  + registration.url()
                  + " failed "
                  + attempt
                  + " times; kept as a dead letter");
      synchronized (this) {
        deadLetters.add(
            new DeadLetter(
                UUID.randomUUID().toString(),
                registration.integrator(),
                registration.url(),
                decision,
                payload,
                attempt,
                failure,
                clock.instant()));
        saveDeadLetters();
      }
    }
  }

  private void saveDeadLetters() {
    var array = Jsonp.PROVIDER.createArrayBuilder();
    deadLetters.forEach(
        d ->
            array.add(
                Jsonp.PROVIDER
                    .createObjectBuilder()
                    .add("id", d.id())
                    .add("integrator", d.integrator())
                    .add("url", d.url().toString())
                    .add("decision", d.decision())
                    .add("payload", d.payload())
                    .add("attempts", d.attempts())
                    .add("lastError", d.lastError())
                    .add("failedAt", d.failedAt().toString())));
    JsonFiles.writeArray(deadLetterFile, array.build());
  }

  private static DeadLetter fromJson(JsonObject json) {
    return new DeadLetter(
        json.getString("id"),
        json.getString("integrator"),
        URI.create(json.getString("url")),
        json.getString("decision"),
        json.getString("payload"),
        json.getInt("attempts"),
        json.getString("lastError"),
        Instant.parse(json.getString("failedAt")));
  }
}
