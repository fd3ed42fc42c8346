package io.arbiter.review;

import io.arbiter.decision.PolicyRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest settled escalations of each policy rule, kept as tasks settle: what a task's detail
 * view shows as "similar cases". Reading them costs a look-up and a handful of entries, whatever
 * the history holds (a graph query over every routing of the rule cost 15–20 s of CPU per view at
 * 9,000 decisions, and grew with them).
 *
 * <p>Similar means: an escalation routed by the same rule of the same policy version (so the same
 * model), settled by consensus, adjudication or the SLA's fail-safe. Each rule keeps its {@code
 * keep} most recently settled tasks, so that leaving the viewed task out still leaves enough.
 * Thread-safe: tasks settle under their own locks, concurrently.
 */
final class SimilarCases {

  /** A rule of one policy version. */
  private record RuleKey(PolicyRef policy, String ruleId) {}

  /** A settled task, newest settlement first; the id breaks ties so no entry replaces another. */
  private record Settled(Instant at, String taskId) {}

  private static final Comparator<Settled> NEWEST_FIRST =
      Comparator.comparing(Settled::at).reversed().thenComparing(Settled::taskId);

  private final int keep;
  private final Map<RuleKey, NavigableSet<Settled>> byRule = new ConcurrentHashMap<>();

  /** Keeps {@code keep} tasks per rule: one more than a view shows, for the viewed task itself. */
  SimilarCases(int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1");
    }
    this.keep = keep;
  }

  /** Takes note of {@code task} if it is a settled escalation routed by a policy rule. */
  void settled(ReviewTask task) {
    if (task.assignment().kind() != TaskKind.ESCALATION || task.settlement().isEmpty()) {
      return;
    }
    key(task)
        .ifPresent(
            key -> {
              NavigableSet<Settled> latest =
                  byRule.computeIfAbsent(key, k -> new TreeSet<>(NEWEST_FIRST));
              synchronized (latest) {
                latest.add(new Settled(task.settlement().get().at(), task.id()));
                while (latest.size() > keep) {
                  latest.pollLast();
                }
              }
            });
  }

  /** Ids of the latest settled tasks of {@code task}'s rule, newest first, itself left out. */
  List<String> like(ReviewTask task, int limit) {
    Optional<RuleKey> key = key(task);
    NavigableSet<Settled> latest = key.map(byRule::get).orElse(null);
    if (latest == null) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    synchronized (latest) {
      for (Settled settled : latest) {
        if (ids.size() == limit) {
          break;
        }
        if (!settled.taskId().equals(task.id())) {
          ids.add(settled.taskId());
        }
      }
    }
    return ids;
  }

  private static Optional<RuleKey> key(ReviewTask task) {
    var assignment = task.assignment();
    if (assignment.policy().isEmpty() || assignment.ruleId().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RuleKey(assignment.policy().get(), assignment.ruleId().get()));
  }
}
