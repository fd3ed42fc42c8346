package io.arbiter.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which submission hours the graph describes, so that each hour is described once: the first
 * decision of an hour claims it, and its description is written before any decision of the hour
 * (the others wait for it). Start-up repairs may describe an hour again. And which hours are
 * tallied, so that each closed hour is tallied once, and again if a decision comes late.
 */
final class SubmissionHours {

  /**
   * Legacy decisions linked per bundle: an hour of a busy legacy store must not be one huge one.
   */
  static final int LINKS_PER_EVENT = 5_000;

  /**
   * How long after its end an hour is tallied: decisions whose write is still under way when the
   * hour ends are kept by then. One kept later makes the hour be tallied again.
   */
  static final Duration TALLY_GRACE = Duration.ofMinutes(2);

  /** Most hours one run tallies: a store from before tallies catches up over several runs. */
  static final int TALLIES_PER_RUN = 240;

  /** Each hour's description: done, or being written by the first decision of the hour. */
  private final Map<SubmissionHour, CompletableFuture<Void>> described = new ConcurrentHashMap<>();

  /** Each tallied hour's latest revision. */
  private final Map<SubmissionHour, Integer> tallied = new ConcurrentHashMap<>();

  /** Tallied hours that a decision kept since makes short. */
  private final Set<SubmissionHour> late = ConcurrentHashMap.newKeySet();

  /** The hours the graph describes, read at start-up. */
  void described(Collection<SubmissionHour> hours) {
    hours.forEach(hour -> described.put(hour, CompletableFuture.completedFuture(null)));
  }

  /**
   * Claims the hour's description. Empty when the caller must write it, then {@link #describedOk}
   * or {@link #describedFailed}; otherwise the description done or being written, which the caller
   * waits for before recording its decision, so that no decision precedes its hour's description.
   */
  Optional<CompletableFuture<Void>> claim(SubmissionHour hour) {
    // Every decision asks; only the first of an hour needs a new future.
    CompletableFuture<Void> known = described.get(hour);
    return known != null
        ? Optional.of(known)
        : Optional.ofNullable(described.putIfAbsent(hour, new CompletableFuture<>()));
  }

  void describedOk(SubmissionHour hour) {
    described.get(hour).complete(null);
  }

  /** The description was not written: those waiting fail, and the next decision claims it again. */
  void describedFailed(SubmissionHour hour, Throwable why) {
    CompletableFuture<Void> mine = described.remove(hour);
    if (mine != null) {
      mine.completeExceptionally(why);
    }
  }

  /** A description written at start-up. */
  void describedAtStart(SubmissionHour hour) {
    described.putIfAbsent(hour, CompletableFuture.completedFuture(null));
  }

  /**
   * The tallies the graph holds, read at start-up.
   *
   * @param counted how many decisions the index holds in each tallied hour: an hour whose latest
   *     tally counts fewer (a decision kept late, and the server stopped before tallying again) is
   *     due again
   */
  void tallied(
      Map<SubmissionHour, SubmissionHour.TallyState> tallies,
      Map<SubmissionHour, Integer> counted) {
    tallies.forEach(
        (hour, tally) -> {
          tallied.put(hour, tally.revision());
          if (counted.getOrDefault(hour, 0) != tally.decisions()) {
            late.add(hour);
          }
        });
  }

  /**
   * Claims the hour's next tally, before its cells are read: a decision kept from now on is
   * {@linkplain #kept late} and makes the hour be tallied again.
   *
   * @return the new tally's revision: 1 for the hour's first, and each revision replaces the one
   *     before it
   */
  int claimTally(SubmissionHour hour) {
    late.remove(hour);
    return tallied.merge(hour, 1, Integer::sum);
  }

  /** The tally of this revision was not written: the hour is due again at the next run. */
  void releaseTally(SubmissionHour hour, int revision) {
    if (revision == 1) {
      tallied.remove(hour);
    } else {
      tallied.put(hour, revision - 1);
      late.add(hour);
    }
  }

  /**
   * A decision of this hour was kept: if the hour is tallied already, its tally is short by it.
   *
   * @return whether the hour must be tallied again
   */
  boolean kept(SubmissionHour hour) {
    return tallied.containsKey(hour) && late.add(hour);
  }

  /**
   * The hours to tally now, oldest first, at most {@link #TALLIES_PER_RUN}: described, over for the
   * grace period, and not tallied, or tallied short.
   */
  List<SubmissionHour> toTally(Instant now) {
    Set<SubmissionHour> due = new TreeSet<>(late);
    described.forEach(
        (hour, description) -> {
          if (description.isDone()
              && !description.isCompletedExceptionally()
              && !tallied.containsKey(hour)
              && !hour.end().plus(TALLY_GRACE).isAfter(now)) {
            due.add(hour);
          }
        });
    return due.stream().limit(TALLIES_PER_RUN).toList();
  }

  /**
   * The hour's cells: its decisions grouped by model version, policy version and route, in that
   * order.
   */
  static List<SubmissionHour.Cell> cells(Collection<DecisionSummary> decisions) {
    Map<List<String>, List<DecisionSummary>> groups = new TreeMap<>(CELL_ORDER);
    for (DecisionSummary d : decisions) {
      List<String> key =
          List.of(
              d.model().name(),
              d.model().version(),
              d.policy().map(PolicyRef::id).orElse(""),
              d.policy().map(PolicyRef::version).orElse(""),
              d.route().wireName());
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(d);
    }
    List<SubmissionHour.Cell> cells = new ArrayList<>();
    for (List<DecisionSummary> members : groups.values()) {
      DecisionSummary any = members.get(0);
      Instant first = Instant.MAX;
      Instant last = Instant.MIN;
      for (DecisionSummary d : members) {
        first = d.submittedAt().isBefore(first) ? d.submittedAt() : first;
        last = d.submittedAt().isAfter(last) ? d.submittedAt() : last;
      }
      cells.add(
          new SubmissionHour.Cell(
              any.model(), any.policy(), any.route(), members.size(), first, last));
    }
    return cells;
  }

  /** Element by element; keys have the same length. */
  private static final Comparator<List<String>> CELL_ORDER =
      (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
          int c = a.get(i).compareTo(b.get(i));
          if (c != 0) {
            return c;
          }
        }
        return 0;
      };

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
      if (!described.containsKey(hour)) {
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
