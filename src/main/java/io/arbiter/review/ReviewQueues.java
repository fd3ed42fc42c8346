package io.arbiter.review;

import io.arbiter.config.ConfigYaml;
import io.arbiter.security.Roles;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The review queues of a deployment, read from a YAML file:
 *
 * <pre>
 * escalateAt: 0.75          # share of the SLA after which a task moves on
 * defaults: {roles: [reviewer, lead-reviewer], escalateTo: leads, claimTimeout: PT30M}
 * queues:
 *   leads: {roles: [lead-reviewer]}
 * </pre>
 *
 * A queue a policy names but this file does not takes the defaults, so a new policy never strands
 * its tasks.
 */
public final class ReviewQueues {

  private static final Set<String> TOP = Set.of("escalateAt", "defaults", "queues");
  private static final Set<String> QUEUE = Set.of("roles", "escalateTo", "claimTimeout");
  private static final Set<String> KNOWN_ROLES =
      Set.of(
          Roles.REVIEWER,
          Roles.LEAD_REVIEWER,
          Roles.AUDITOR,
          Roles.ADMIN,
          Roles.POLICY_AUTHOR,
          Roles.POLICY_APPROVER,
          Roles.INTEGRATOR);

  private final double escalateAt;
  private final QueueSettings defaults;
  private final Map<String, QueueSettings> queues;
  private final Map<String, QueueSettings> unconfigured =
      new java.util.concurrent.ConcurrentHashMap<>();

  public ReviewQueues(double escalateAt, QueueSettings defaults, Collection<QueueSettings> queues) {
    if (!(escalateAt > 0 && escalateAt <= 1)) {
      throw new IllegalArgumentException("escalateAt must be above 0 and at most 1");
    }
    this.escalateAt = escalateAt;
    this.defaults = defaults;
    Map<String, QueueSettings> byName = new LinkedHashMap<>();
    queues.forEach(q -> byName.put(q.name(), q));
    this.queues = Map.copyOf(byName);
  }

  /** The share of a task's SLA after which it is escalated. */
  public double escalateAt() {
    return escalateAt;
  }

  /** A queue's settings; the defaults under its name when it is not configured. */
  public QueueSettings settings(String queue) {
    QueueSettings configured = queues.get(queue);
    // Listings ask this for every task: build the defaults for a name once.
    return configured != null
        ? configured
        : unconfigured.computeIfAbsent(
            queue,
            name ->
                new QueueSettings(
                    name, defaults.roles(), defaults.escalateTo(), defaults.claimTimeout()));
  }

  /** The queues this file names. */
  public Collection<QueueSettings> configured() {
    return queues.values();
  }

  /**
   * Reads a queue file.
   *
   * @throws IllegalArgumentException naming every field at fault
   */
  public static ReviewQueues parse(String sourceName, String text) {
    Map<?, ?> map = ConfigYaml.mapping("review queues", sourceName, text);
    List<String> problems = new ArrayList<>();
    unknownKeys(map, TOP, "", problems);
    double escalateAt = 0.75;
    if (map.containsKey("escalateAt")) {
      if (map.get("escalateAt") instanceof Number n
          && n.doubleValue() > 0
          && n.doubleValue() <= 1) {
        escalateAt = n.doubleValue();
      } else {
        problems.add("escalateAt: must be a number above 0 and at most 1");
      }
    }
    QueueSettings builtIn =
        new QueueSettings(
            "defaults",
            Set.of(Roles.REVIEWER, Roles.LEAD_REVIEWER),
            Optional.empty(),
            Duration.ofMinutes(30));
    QueueSettings defaults = queue("defaults", map.get("defaults"), builtIn, problems);
    List<QueueSettings> queues = new ArrayList<>();
    Object queueMap = map.get("queues");
    if (queueMap != null && !(queueMap instanceof Map<?, ?>)) {
      problems.add("queues: must be a mapping of queue name to settings");
    } else if (queueMap instanceof Map<?, ?> named) {
      named.forEach(
          (name, value) -> queues.add(queue(String.valueOf(name), value, defaults, problems)));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "review queues " + sourceName + " are invalid: " + String.join("; ", problems));
    }
    return new ReviewQueues(escalateAt, defaults, queues);
  }

  private static QueueSettings queue(
      String name, Object value, QueueSettings defaults, List<String> problems) {
    String path = "defaults".equals(name) ? "defaults" : "queues." + name;
    if (value == null) {
      return new QueueSettings(
          name, defaults.roles(), defaults.escalateTo(), defaults.claimTimeout());
    }
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(path + ": must be a mapping (roles, escalateTo, claimTimeout)");
      return defaults;
    }
    unknownKeys(map, QUEUE, path + ".", problems);
    Set<String> roles = defaults.roles();
    if (map.containsKey("roles")) {
      if (map.get("roles") instanceof List<?> list && !list.isEmpty()) {
        roles = new LinkedHashSet<>();
        for (Object role : list) {
          if (!KNOWN_ROLES.contains(String.valueOf(role))) {
            problems.add(path + ".roles: unknown role '" + role + "'");
          }
          roles.add(String.valueOf(role));
        }
      } else {
        problems.add(path + ".roles: must be a non-empty list of roles");
      }
    }
    Optional<String> escalateTo = defaults.escalateTo();
    if (map.containsKey("escalateTo")) {
      Object target = map.get("escalateTo");
      escalateTo = target == null ? Optional.empty() : Optional.of(String.valueOf(target));
    }
    Duration claimTimeout = defaults.claimTimeout();
    if (map.containsKey("claimTimeout")) {
      try {
        claimTimeout = Duration.parse(String.valueOf(map.get("claimTimeout")));
        if (claimTimeout.isNegative() || claimTimeout.isZero()) {
          problems.add(path + ".claimTimeout: must be positive");
          claimTimeout = defaults.claimTimeout();
        }
      } catch (DateTimeParseException e) {
        problems.add(path + ".claimTimeout: must be an ISO-8601 duration such as PT30M");
      }
    }
    return new QueueSettings(name, roles, escalateTo.filter(t -> !t.equals(name)), claimTimeout);
  }

  private static void unknownKeys(
      Map<?, ?> map, Set<String> known, String prefix, List<String> problems) {
    map.keySet().stream()
        .map(String::valueOf)
        .filter(key -> !known.contains(key))
        .forEach(key -> problems.add(prefix + key + ": unknown field"));
  }
}
