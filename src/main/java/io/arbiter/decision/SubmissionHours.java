package io.arbiter.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which submission hours the graph describes, so that each hour is described once: the first
 * decision of an hour claims it, and its description is written before that decision.
 */
final class SubmissionHours {

  /**
   * Legacy decisions linked per bundle: an hour of a busy legacy store must not be one huge one.
   */
  static final int LINKS_PER_EVENT = 5_000;

  private final Set<SubmissionHour> described = ConcurrentHashMap.newKeySet();

  /** The hours the graph describes, read at start-up. */
  void described(Collection<SubmissionHour> hours) {
    described.addAll(hours);
  }

  /** True once for each hour not yet described: the caller then writes its description. */
  boolean claim(SubmissionHour hour) {
    return described.add(hour);
  }

  /** The description was not written: the next decision of the hour claims it again. */
  void release(SubmissionHour hour) {
    described.remove(hour);
  }

  /** A decision without {@code arb:submittedInHour}, recorded before hours were indexed. */
  record Unlinked(String decisionIri, Instant submittedAt) {}

  /** One {@code decision.hour-indexed} event to write at start-up. */
  record Repair(SubmissionHour hour, List<String> decisionIris) {}

  /**
   * What start-up must write so that every decision is reachable from a described hour: each hour
   * with decisions but no description (a store from before hours, or a description whose write
   * failed after a decision of its hour was kept), and links for the decisions that lack one.
   * Oldest hour first; an hour's links are split into events of at most {@link #LINKS_PER_EVENT}.
   *
   * @param decided the hours of all recorded decisions
   */
  List<Repair> repairs(Collection<SubmissionHour> decided, List<Unlinked> unlinked) {
    Map<SubmissionHour, List<String>> links = new TreeMap<>();
    for (SubmissionHour hour : decided) {
      if (!described.contains(hour)) {
        links.putIfAbsent(hour, new ArrayList<>());
      }
    }
    for (Unlinked decision : unlinked) {
      links
          .computeIfAbsent(SubmissionHour.of(decision.submittedAt()), h -> new ArrayList<>())
          .add(decision.decisionIri());
    }
    List<Repair> repairs = new ArrayList<>();
    links.forEach(
        (hour, iris) -> {
          iris.sort(null);
          int from = 0;
          do {
            int to = Math.min(iris.size(), from + LINKS_PER_EVENT);
            repairs.add(new Repair(hour, List.copyOf(iris.subList(from, to))));
            from = to;
          } while (from < iris.size());
        });
    return repairs;
  }
}
