package io.arbiter.notify;

import io.arbiter.event.Jsonp;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Delivers settlement callbacks: a POST signed as Standard Webhooks says ({@link
 * CallbackSignature}) to the integrator's registered URL, tried again with jittered exponential
 * backoff on any failure (no answer, or a status other than 2xx), and kept as a dead letter when
 * every attempt failed.
 *
 * <p>The connection goes only to addresses {@link CallbackTargets} approved in the same resolution
 * (the client's DNS resolver is the check), and redirects are not followed, so a registered URL
 * cannot bounce deliveries elsewhere, by HTTP or by DNS.
 */
public final class CallbackDispatcher {

  private static final Logger LOG = Logger.getLogger(CallbackDispatcher.class.getName());
  private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(5);
  private static final Timeout RESPONSE_TIMEOUT = Timeout.ofSeconds(10);

  private final CallbackRegistry registry;
  private final Path deadLetterFile;
  private final ScheduledExecutorService scheduler;
  private final CloseableHttpClient http;
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
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setDnsResolver(new CheckedResolver(targets))
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(CONNECT_TIMEOUT)
                            .setSocketTimeout(RESPONSE_TIMEOUT)
                            .build())
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom().setResponseTimeout(RESPONSE_TIMEOUT).build())
            .disableRedirectHandling()
            .disableAutomaticRetries() // ours, with backoff and dead letters
            .disableCookieManagement()
            .build();
    for (JsonValue value : JsonFiles.readArray(deadLetterFile)) {
      deadLetters.add(fromJson(value.asJsonObject()));
    }
  }

  /** Sends {@code payload} about {@code decision} to the integrator, if they registered a URL. */
  public void deliver(String integrator, String decision, String payload) {
    deliver(integrator, new Message("msg_" + UUID.randomUUID(), decision, payload));
  }

  /** One message, as every attempt and a redelivery send it. */
  private record Message(String id, String decision, String payload) {}

  private void deliver(String integrator, Message message) {
    if (registry.find(integrator).isPresent()) {
      schedule(() -> attempt(integrator, message, 1), Duration.ZERO);
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
    deliver(
        letter.integrator(), new Message(letter.messageId(), letter.decision(), letter.payload()));
    return Optional.of(letter);
  }

  /**
   * One try, to the integrator's registration as it is now (a new URL or secret applies to retries
   * too; without a registration the delivery ends, as the integrator asked).
   */
  private void attempt(String integrator, Message message, int attempt) {
    String decision = message.decision();
    Optional<CallbackRegistration> current = registry.find(integrator);
    if (current.isEmpty()) {
      LOG.fine(() -> "callback for " + decision + " dropped: " + integrator + " unregistered");
      return;
    }
    CallbackRegistration registration = current.get();
    String error;
    try {
      targets.requireScheme(registration.url());
      long now = clock.instant().getEpochSecond();
      HttpPost post = new HttpPost(registration.url());
      post.setHeader(CallbackSignature.ID, message.id());
      post.setHeader(CallbackSignature.TIMESTAMP, Long.toString(now));
      post.setHeader(
          CallbackSignature.SIGNATURE,
          CallbackSignature.sign(registration.secret(), message.id(), now, message.payload()));
      post.setHeader("Arbiter-Attempt", Integer.toString(attempt));
      post.setEntity(new StringEntity(message.payload(), ContentType.APPLICATION_JSON));
      int status = http.execute(post, response -> response.getCode());
      if (status / 100 == 2) {
        return;
      }
      error = "HTTP " + status;
    } catch (CallbackTargets.Refused e) {
      error = "refused: " + e.getMessage();
    } catch (IOException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (RuntimeException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    String failure = error;
    Optional<Duration> wait = backoff.jittered(attempt, ThreadLocalRandom.current().nextDouble());
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
      schedule(() -> attempt(integrator, message, attempt + 1), wait.get());
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
                message.id(),
                decision,
                message.payload(),
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
                    .add("messageId", d.messageId())
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
        // Letters kept before deliveries had a message id get one now, kept from here on.
        json.getString("messageId", "msg_" + UUID.randomUUID()),
        json.getString("decision"),
        json.getString("payload"),
        json.getInt("attempts"),
        json.getString("lastError"),
        Instant.parse(json.getString("failedAt")));
  }

  /**
   * Resolves a callback's host through {@link CallbackTargets}: the addresses it returns are the
   * ones checked, so the check and the connection cannot see different answers.
   */
  private record CheckedResolver(CallbackTargets targets) implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      try {
        return targets.resolveHost(host).toArray(InetAddress[]::new);
      } catch (CallbackTargets.Refused e) {
        throw new UnknownHostException(host + " refused: " + e.getMessage());
      }
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host; // never asked of DNS: a callback needs no Kerberos-style canonical name
    }
  }
}
