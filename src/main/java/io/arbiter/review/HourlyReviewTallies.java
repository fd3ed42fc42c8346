package io.arbiter.review;

import io.arbiter.decision.DecisionId;
import io.arbiter.policy.Route;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The review figures' tallies ({@link ReviewMetrics.Tally}) per hour and per day of task creation,
 * each kept until a task of its hour or day changes or the outcome of one of their decisions
 * arrives. A month's figures then add up some thirty day tallies instead of judging 30,000 tasks
 * and looking up their decisions' outcomes on every call: under a concurrent report or audit query
 * that per-task pass missed its interactive target (docs/performance.md). Days the window cuts
 * through are added up from their hours, and hours it cuts through counted task by task. The
 * figures equal {@link ReviewMetrics#of} over the same tasks. Hours and days are UTC's.
 *
 * <p>Thread-safe. Each hour and day has a version, raised when anything in it changes after the
 * change is visible; a tally is kept with the version read before its tasks were, and used only
 * while the version is still that one, so a tally computed beside a change is never used after it.
 */
public final class HourlyReviewTallies {

  private static final long HOUR_SECONDS = 3_600;
  private static final long HOURS_A_DAY = 24;

  private final Function<String, ReviewTask> current;
  private final Function<DecisionId, Optional<Route>> truthOf;
  private final ConcurrentSkipListMap<Long, Set<String>> tasksByHour =
      new ConcurrentSkipListMap<>();
  private final Kept hours = new Kept();
  private final Kept days = new Kept();

  /** Tallies kept by hour or day, with their versions. */
  private static final class Kept {
    private record Tally(long version, ReviewMetrics.Tally tally) {}

    private final Map<Long, Long> versions = new ConcurrentHashMap<>();
    private final Map<Long, Tally> tallies = new ConcurrentHashMap<>();

    void raise(long key) {
      versions.merge(key, 1L, Long::sum);
    }

    ReviewMetrics.Tally get(long key, Supplier<ReviewMetrics.Tally> count) {
      long version = versions.getOrDefault(key, 0L);
      Tally kept = tallies.get(key);
      if (kept != null && kept.version() == version) {
        return kept.tally();
      }
      ReviewMetrics.Tally fresh = count.get();
      // Kept with the version read before counting: a change meanwhile has raised it already.
      tallies.merge(
          key,
          new Tally(version, fresh),
          (old, counted) -> old.version() > counted.version() ? old : counted);
      return fresh;
    }
  }

  /**
   * @param current a task as it stands now, by id (null when there is none)
   * @param truthOf what each decision should have been, where known
   */
  public HourlyReviewTallies(
      Function<String, ReviewTask> current, Function<DecisionId, Optional<Route>> truthOf) {
    this.current = current;
    this.truthOf = truthOf;
  }

  /**
   * Notes that {@code task} was opened or changed (call after the change is visible through {@code
   * current}), or that its decision's outcome was learnt: its hour's and day's tallies are counted
   * anew.
   */
  public void changed(ReviewTask task) {
    long hour = hourOf(task.assignment().createdAt());
    tasksByHour.computeIfAbsent(hour, h -> ConcurrentHashMap.newKeySet()).add(task.id());
    hours.raise(hour);
    days.raise(Math.floorDiv(hour, HOURS_A_DAY));
  }

  /** The figures of the tasks created in {@code [from, to)}, as of {@code now}. */
  public ReviewMetrics metrics(Instant from, Instant to, Instant now) {
    ReviewMetrics.Tally sum = new ReviewMetrics.Tally();
    if (!from.isBefore(to)) {
      return sum.metrics(from, to, now);
    }
    Long dayAdded = null;
    for (var hour :
        tasksByHour.subMap(hourOf(from), true, hourOf(to.minusNanos(1)), true).entrySet()) {
      long day = Math.floorDiv(hour.getKey(), HOURS_A_DAY);
      if (within(day * HOURS_A_DAY, HOURS_A_DAY, from, to)) {
        if (!Long.valueOf(day).equals(dayAdded)) {
          sum.addAll(days.get(day, () -> dayTally(day)));
          dayAdded = day;
        }
      } else if (within(hour.getKey(), 1, from, to)) {
        sum.addAll(hourTally(hour.getKey(), hour.getValue()));
      } else {
        for (String id : hour.getValue()) {
          ReviewTask task = current.apply(id);
          if (task != null && ReviewMetrics.createdWithin(task, from, to)) {
            sum.add(task, truthOf);
          }
        }
      }
    }
    return sum.metrics(from, to, now);
  }

  private ReviewMetrics.Tally dayTally(long day) {
    ReviewMetrics.Tally tally = new ReviewMetrics.Tally();
    for (var hour : tasksByHour.subMap(day * HOURS_A_DAY, (day + 1) * HOURS_A_DAY).entrySet()) {
      tally.addAll(hourTally(hour.getKey(), hour.getValue()));
    }
    return tally;
  }

  private ReviewMetrics.Tally hourTally(long hour, Set<String> ids) {
    return hours.get(
        hour,
        () -> {
          ReviewMetrics.Tally tally = new ReviewMetrics.Tally();
          for (String id : ids) {
            ReviewTask task = current.apply(id);
            if (task != null) {
              tally.add(task, truthOf);
            }
          }
          return tally;
        });
  }

  /** Whether the {@code length} hours from {@code hour} on lie within {@code [from, to)}. */
  private static boolean within(long hour, long length, Instant from, Instant to) {
    long start = hour * HOUR_SECONDS;
    return !Instant.ofEpochSecond(start).isBefore(from)
        && !Instant.ofEpochSecond(start + length * HOUR_SECONDS).isAfter(to);
  }

  private static long hourOf(Instant instant) {
    return Math.floorDiv(instant.getEpochSecond(), HOUR_SECONDS);
  }
}
