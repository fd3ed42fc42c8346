package io.arbiter.notify;

import io.arbiter.event.Jsonp;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Each integrator's callback URL and signing secret, kept in a file of the data directory. */
public final class CallbackRegistry {

  private final Path file;
  private final Clock clock;
  private final CallbackTargets targets;
  private final Map<String, CallbackRegistration> registrations = new TreeMap<>();

  public CallbackRegistry(Path file, Clock clock, CallbackTargets targets) {
    this.file = file;
    this.clock = clock;
    this.targets = targets;
    for (JsonValue value : JsonFiles.readArray(file)) {
      JsonObject json = value.asJsonObject();
      CallbackRegistration registration =
          new CallbackRegistration(
              json.getString("integrator"),
              URI.create(json.getString("url")),
              json.getString("secret"),
              Instant.parse(json.getString("registeredAt")));
      registrations.put(registration.integrator(), registration);
    }
  }

  /**
   * Registers (or replaces) the integrator's callback URL with a new secret.
   *
   * @throws ProblemException {@code invalid-request} naming {@code url} when it is no absolute
   *     http(s) URL
   */
  public synchronized CallbackRegistration register(String integrator, String url) {
    URI uri = validUrl(url);
    CallbackRegistration registration =
        new CallbackRegistration(integrator, uri, CallbackSignature.newSecret(), clock.instant());
    registrations.put(integrator, registration);
    save();
    return registration;
  }

  public synchronized Optional<CallbackRegistration> find(String integrator) {
    return Optional.ofNullable(registrations.get(integrator));
  }

  /** Removes the registration; whether there was one. */
  public synchronized boolean remove(String integrator) {
    boolean removed = registrations.remove(integrator) != null;
    if (removed) {
      save();
    }
    return removed;
  }

  private void save() {
    var array = Jsonp.PROVIDER.createArrayBuilder();
    registrations
        .values()
        .forEach(
            r ->
                array.add(
                    Jsonp.PROVIDER
                        .createObjectBuilder()
                        .add("integrator", r.integrator())
                        .add("url", r.url().toString())
                        .add("secret", r.secret())
                        .add("registeredAt", r.registeredAt().toString())));
    JsonFiles.writeArray(file, array.build());
  }

  private URI validUrl(String url) {
    String problem = null;
    URI uri = null;
    if (url == null || url.length() > 2048) {
      problem = "required: an absolute http or https URL of at most 2048 characters";
    } else {
      try {
        uri = new URI(url);
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
            || uri.getHost() == null
            || uri.getUserInfo() != null
            || uri.getFragment() != null) {
          problem =
              "must be an absolute http or https URL with a host, without user info or fragment";
        }
        if (problem == null) {
          targets.resolve(uri);
        }
      } catch (URISyntaxException e) {
        problem = "is not a URL: " + e.getReason();
      } catch (CallbackTargets.Refused e) {
        problem = e.getMessage();
      }
    }
    if (problem != null) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "The callback URL is not valid.",
          List.of(new FieldError("url", problem)));
    }
    return uri;
  }
}
