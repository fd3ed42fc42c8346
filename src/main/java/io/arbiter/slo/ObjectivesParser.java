package io.arbiter.slo;

import io.arbiter.config.ConfigYaml;
import io.arbiter.decision.ContextMatch;
import io.arbiter.policy.PolicyParser;
import io.arbiter.problem.FieldError;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads objectives from YAML:
 *
 * <pre>
 * objectives:
 *   - {id: automated-latency, kind: automated-latency, target: 0.99, latency: PT0.1S, window: PT1H}
 *   - {id: reviews-within-sla, kind: reviews-within-sla, target: 0.95, window: P7D}
 *   - {id: escalation-band, kind: escalation-rate, band: {min: 0.05, max: 0.4}, window: P1D}
 * </pre>
 *
 * Optional per objective: {@code description}, {@code minEvents} (default 20), and {@code scope}:
 * the decisions it counts, {@code {model: screening, modelVersion: "2", tenant: acme, context:
 * {site: north}}}, each part optional (a model version only with its model), the context one key
 * and a text, number or boolean. Anything invalid stops start-up with every problem named.
 */
public final class ObjectivesParser {

  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final int DEFAULT_MIN_EVENTS = 20;
  private static final Duration SHORTEST_WINDOW = Duration.ofMinutes(1);
  private static final Set<String> KEYS =
      Set.of(
          "id", "description", "kind", "target", "latency", "band", "window", "minEvents", "scope");
  private static final Set<String> SCOPE_KEYS =
      Set.of("model", "modelVersion", "tenant", "context");

  private ObjectivesParser() {}

  public static List<Objective> parse(String sourceName, String text) {
    Map<?, ?> top = ConfigYaml.mapping("objectives", sourceName, text);
    List<String> problems = new ArrayList<>();
    List<Objective> objectives = new ArrayList<>();
    if (!top.keySet().equals(Set.of("objectives"))
        || !(top.get("objectives") instanceof List<?> list)) {
      throw new IllegalArgumentException(
          "objectives " + sourceName + " must be a mapping with one key, objectives: a list");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "objectives[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        problems.add(at + ": must be a mapping");
        continue;
      }
      objective(at, map, problems)
          .ifPresent(
              o -> {
                if (!ids.add(o.id())) {
                  problems.add(at + ".id: '" + o.id() + "' appears twice");
                }
                objectives.add(o);
              });
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "objectives " + sourceName + " are invalid: " + String.join("; ", problems));
    }
    return List.copyOf(objectives);
  }

  private static Optional<Objective> objective(String at, Map<?, ?> map, List<String> problems) {
    int before = problems.size();
    map.keySet().stream()
        .map(String::valueOf)
        .filter(key -> !KEYS.contains(key))
        .forEach(key -> problems.add(at + "." + key + ": unknown field"));
    String id = map.get("id") instanceof String s && ID.matcher(s).matches() ? s : null;
    if (id == null) {
      problems.add(at + ".id: required, matching " + ID.pattern());
    }
    String description = map.get("description") instanceof String s ? s : "";
    Optional<Objective.Kind> kind =
        map.get("kind") instanceof String s ? Objective.Kind.fromWireName(s) : Optional.empty();
    if (kind.isEmpty()) {
      problems.add(at + ".kind: one of automated-latency, reviews-within-sla, escalation-rate");
      return Optional.empty();
    }
    double target = 0;
    if (kind.get().hasBudget()) {
      target = map.get("target") instanceof Number n ? n.doubleValue() : Double.NaN;
      if (!(target > 0 && target < 1)) {
        problems.add(at + ".target: required, a share above 0 and below 1");
      }
    } else if (map.containsKey("target")) {
      problems.add(at + ".target: an escalation-rate objective has a band, not a target");
    }
    Optional<Duration> latency = Optional.empty();
    if (kind.get() == Objective.Kind.AUTOMATED_LATENCY) {
      latency = duration(map.get("latency"), at + ".latency", Duration.ofNanos(1), problems);
    } else if (map.containsKey("latency")) {
      problems.add(at + ".latency: only for automated-latency");
    }
    Optional<Objective.Band> band = Optional.empty();
    if (kind.get() == Objective.Kind.ESCALATION_RATE) {
      band = band(map.get("band"), at + ".band", problems);
    } else if (map.containsKey("band")) {
      problems.add(at + ".band: only for escalation-rate");
    }
    Optional<Duration> window =
        duration(map.get("window"), at + ".window", SHORTEST_WINDOW, problems);
    int minEvents = DEFAULT_MIN_EVENTS;
    if (map.containsKey("minEvents")) {
      if (map.get("minEvents") instanceof Integer n && n >= 1) {
        minEvents = n;
      } else if (map.get("minEvents") instanceof Long n && n >= 1 && n <= Integer.MAX_VALUE) {
        minEvents = n.intValue();
      } else {
        problems.add(at + ".minEvents: a whole number, at least 1");
      }
    }
    ObjectiveScope scope =
        map.containsKey("scope")
            ? scope(map.get("scope"), at + ".scope", problems)
            : ObjectiveScope.ALL;
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new Objective(
            id,
            description,
            kind.get(),
            target,
            latency,
            band,
            window.orElseThrow(),
            minEvents,
            scope));
  }

  private static Optional<Duration> duration(
      Object value, String at, Duration shortest, List<String> problems) {
    if (value instanceof String text) {
      try {
        Duration d = Duration.parse(text);
        if (d.compareTo(shortest) >= 0) {
          return Optional.of(d);
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    problems.add(at + ": required, an ISO-8601 duration of at least " + shortest);
    return Optional.empty();
  }

  private static ObjectiveScope scope(Object value, String at, List<String> problems) {
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(at + ": must be a mapping of model, modelVersion, tenant and context");
      return ObjectiveScope.ALL;
    }
    map.keySet().stream()
        .map(String::valueOf)
        .filter(key -> !SCOPE_KEYS.contains(key))
        .forEach(key -> problems.add(at + "." + key + ": unknown field"));
    Optional<String> model = id(map.get("model"), at + ".model", problems);
    Optional<String> modelVersion = id(map.get("modelVersion"), at + ".modelVersion", problems);
    if (modelVersion.isPresent() && model.isEmpty()) {
      problems.add(at + ".modelVersion: is given with model");
      modelVersion = Optional.empty();
    }
    Optional<String> tenant = id(map.get("tenant"), at + ".tenant", problems);
    Optional<ContextMatch> context = Optional.empty();
    if (map.containsKey("context")) {
      List<FieldError> errors = new ArrayList<>();
      Object v =
          map.get("context") instanceof Map<?, ?> pair && pair.size() == 1
              ? pair.values().iterator().next()
              : null;
      if (v instanceof String || v instanceof Number || v instanceof Boolean) {
        Object key = ((Map<?, ?>) map.get("context")).keySet().iterator().next();
        context = ContextMatch.parse(String.valueOf(key), String.valueOf(v), errors);
      } else {
        errors.add(new FieldError("context", "must be one key and a text, number or boolean"));
      }
      errors.forEach(
          e ->
              problems.add(
                  at
                      + ".context: "
                      + switch (e.field()) {
                        case "contextKey" -> "its key ";
                        case "contextValue" -> "its value ";
                        default -> "";
                      }
                      + e.message()));
    }
    return new ObjectiveScope(model, modelVersion, tenant, context);
  }

  private static Optional<String> id(Object value, String at, List<String> problems) {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Integer || value instanceof Long) {
      value = String.valueOf(value); // modelVersion: 2, unquoted, is the version "2"
    }
    if (value instanceof String text && PolicyParser.ID.matcher(text).matches()) {
      return Optional.of(text);
    }
    problems.add(at + ": must match " + PolicyParser.ID.pattern());
    return Optional.empty();
  }

  private static Optional<Objective.Band> band(Object value, String at, List<String> problems) {
    if (value instanceof Map<?, ?> map
        && map.keySet().equals(Set.of("min", "max"))
        && map.get("min") instanceof Number min
        && map.get("max") instanceof Number max
        && min.doubleValue() >= 0
        && min.doubleValue() <= max.doubleValue()
        && max.doubleValue() <= 1) {
      return Optional.of(new Objective.Band(min.doubleValue(), max.doubleValue()));
    }
    problems.add(at + ": required, {min, max} with 0 <= min <= max <= 1");
    return Optional.empty();
  }
}
