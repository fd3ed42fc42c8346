package io.arbiter.review;

import io.arbiter.decision.DecisionId;
import io.arbiter.policy.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How well human review works, over the tasks created in a window: time, SLA breaches, overrides,
 * agreement between reviewers (Fleiss' and Cohen's kappa), accuracy against recorded outcomes, and
 * automation-bias signals (agreement with the model when reviewers saw its recommendation and when
 * they did not, and time on task in each case). Pure: computed from tasks and outcomes. Verdicts
 * count only once their task is settled or timed out, so the figures never tell anyone how a
 * colleague judged a task still open.
 *
 * <p>Rates are null when nothing was there to measure (JSON leaves them out), never a made-up 0.
 */
public record ReviewMetrics(
    Instant from,
    Instant to,
    Group overall,
    Map<String, Group> byQueue,
    Map<String, Reviewer> byReviewer,
    List<Pair> pairs) {

  /** Figures for a set of tasks. */
  public record Group(
      int tasks,
      int settled,
      int timedOut,
      int awaitingRuling,
      int slaBreaches,
      Long medianSecondsToSettle,
      Long p95SecondsToSettle,
      int verdicts,
      Double overrideRate,
      int multiReviewerTasks,
      Double disagreementRate,
      Double fleissKappa,
      int verdictsWithOutcome,
      Double accuracy,
      Bias bias,
      int qaFindings,
      Double qaAgreementWithAutomation) {}

  /**
   * Automation-bias signals: how often verdicts agree with the model's recommendation, and how long
   * reviewers spend, with the recommendation shown (sighted) and hidden (blind). Much higher
   * agreement and much shorter time when sighted suggest reviewers follow the model.
   */
  public record Bias(
      int blindVerdicts,
      Double blindAgreementWithModel,
      Long blindMedianSecondsOnTask,
      int sightedVerdicts,
      Double sightedAgreementWithModel,
      Long sightedMedianSecondsOnTask) {}

  /** One reviewer's figures (verdicts and rulings). */
  public record Reviewer(
      int verdicts,
      Double overrideRate,
      Long medianSecondsOnTask,
      int verdictsWithOutcome,
      Double accuracy,
      Double agreementWithPeers,
      Bias bias) {}

  /** Two reviewers who decided the same tasks. */
  public record Pair(
      String first, String second, int tasks, double agreement, Double cohensKappa) {}

  /**
   * A verdict (or ruling) with what the figures ask of it, worked out once: whether it agrees with
   * the model's recommendation, its time on task, and whether it was right (null when the
   * decision's outcome is not known).
   */
  private record Judged(
      Verdict verdict, boolean agreesWithModel, long secondsOnTask, Boolean correct) {
    static Judged of(ReviewTask task, Verdict verdict, Optional<Route> truth) {
      return new Judged(
          verdict,
          !verdict.outcome().goesAgainst(task.assignment().recommendation()),
          Duration.between(verdict.startedAt(), verdict.at()).toSeconds(),
          // By name: a route made from the outcome would validate its name again, once a verdict.
          truth.map(right -> right.wireName().equals(verdict.outcome().wireName())).orElse(null));
    }
  }

  /**
   * A task of the window with its state, and its verdicts and ruling judged once (for a finished
   * escalation only: figures never count the verdicts of a task still open).
   */
  private record Facts(ReviewTask task, TaskState state, List<Judged> judged) {
    boolean escalation() {
      return task.assignment().kind() == TaskKind.ESCALATION;
    }

    static Facts of(ReviewTask task, Function<DecisionId, Optional<Route>> truthOf) {
      TaskState state = task.state();
      if (task.assignment().kind() != TaskKind.ESCALATION || !state.finished()) {
        return new Facts(task, state, List.of());
      }
      // The outcome is looked up once per task, not once per verdict and figure.
      Optional<Route> truth = truthOf.apply(task.assignment().decision());
      List<Judged> judged = new ArrayList<>(task.verdicts().size() + 1);
      task.verdicts().forEach(v -> judged.add(Judged.of(task, v, truth)));
      task.ruling().ifPresent(r -> judged.add(Judged.of(task, r, truth)));
      return new Facts(task, state, judged);
    }
  }

  /**
   * @param truthOf what each decision should have been, where known
   * @param now for open tasks past their deadline (they count as breaches)
   */
  public static ReviewMetrics of(
      Instant from,
      Instant to,
      Collection<ReviewTask> tasks,
      Function<DecisionId, Optional<Route>> truthOf,
      Instant now) {
    Tally tally = new Tally();
    for (ReviewTask task : tasks) {
      if (createdWithin(task, from, to)) {
        tally.add(task, truthOf);
      }
    }
    return tally.metrics(from, to, now);
  }

  /** Whether {@code task} was created in {@code [from, to)}, the tasks a window's figures count. */
  static boolean createdWithin(ReviewTask task, Instant from, Instant to) {
    Instant created = task.assignment().createdAt();
    return !created.isBefore(from) && created.isBefore(to);
  }

  /**
   * What the figures need of a set of tasks, gathered a task at a time and merged set by set: every
   * figure is a count, a sample for a percentile, or a kappa computed from sums of counts, so the
   * figures of a month are those of its hours' tallies added up ({@link HourlyReviewTallies}) and
   * equal to those of one pass over its tasks. Not thread-safe while tasks are added; a tally
   * nobody adds to any more may be merged by several threads at once ({@link #addAll} only reads
   * its argument).
   */
  public static final class Tally {
    private final GroupTally overall = new GroupTally();
    // Hashed while gathering, sorted once at the end (the maps returned are sorted).
    private final Map<String, GroupTally> queues = new HashMap<>();
    private final Map<String, ReviewerTally> reviewers = new HashMap<>();
    private final Map<Reviewers, PairTally> pairs = new HashMap<>();

    /** Counts {@code task}, its verdicts judged against {@code truthOf} its decision. */
    public void add(ReviewTask task, Function<DecisionId, Optional<Route>> truthOf) {
      Facts facts = Facts.of(task, truthOf);
      overall.add(facts);
      queues.computeIfAbsent(task.queue(), q -> new GroupTally()).add(facts);
      // Per reviewer and per pair: settled escalations only (QA verdicts are compared with the
      // automation, not the model).
      if (facts.escalation() && facts.state().finished()) {
        for (Judged judged : facts.judged()) {
          reviewers
              .computeIfAbsent(judged.verdict().reviewer(), r -> new ReviewerTally())
              .add(judged);
        }
        addPairs(task.verdicts());
      }
    }

    private void addPairs(List<Verdict> verdicts) {
      for (int i = 0; i < verdicts.size(); i++) {
        for (int j = i + 1; j < verdicts.size(); j++) {
          Verdict a = verdicts.get(i);
          Verdict b = verdicts.get(j);
          boolean ordered = a.reviewer().compareTo(b.reviewer()) < 0;
          Verdict first = ordered ? a : b;
          Verdict second = ordered ? b : a;
          pairs
              .computeIfAbsent(
                  new Reviewers(first.reviewer(), second.reviewer()), k -> new PairTally())
              .add(first.outcome(), second.outcome());
        }
      }
    }

    /** Adds {@code other}'s tasks to this tally's; {@code other} is only read. */
    public Tally addAll(Tally other) {
      overall.addAll(other.overall);
      other.queues.forEach(
          (queue, t) -> queues.computeIfAbsent(queue, q -> new GroupTally()).addAll(t));
      other.reviewers.forEach(
          (name, t) -> reviewers.computeIfAbsent(name, r -> new ReviewerTally()).addAll(t));
      other.pairs.forEach(
          (names, t) -> pairs.computeIfAbsent(names, k -> new PairTally()).addAll(t));
      return this;
    }

    /**
     * The figures of the tasks counted, as of {@code now} (open tasks past their deadline count as
     * breaches). Sorts this tally's samples: call once, on a tally of its own.
     */
    public ReviewMetrics metrics(Instant from, Instant to, Instant now) {
      List<Pair> pairList = new ArrayList<>(pairs.size());
      pairs.forEach((names, tally) -> pairList.add(tally.pair(names)));
      pairList.sort(java.util.Comparator.comparing(Pair::first).thenComparing(Pair::second));
      Map<String, Group> byQueue = new TreeMap<>();
      queues.forEach((queue, tally) -> byQueue.put(queue, tally.group(now)));
      Map<String, Reviewer> byReviewer = new TreeMap<>();
      reviewers.forEach((name, tally) -> byReviewer.put(name, tally.reviewer(name, pairList)));
      return new ReviewMetrics(from, to, overall.group(now), byQueue, byReviewer, pairList);
    }
  }

  /** The figures of one set of tasks, gathered a task at a time. */
  private static final class GroupTally {
    private int escalations;
    private int qa;
    private int settled;
    private int timedOut;
    private int awaitingRuling;
    private int breaches;
    // Deadlines of escalations still open: overdue, so breaches, only as of the time asked.
    private final List<Instant> openDeadlines = new ArrayList<>();
    private final LongSample toSettle = new LongSample();
    private final BiasTally bias = new BiasTally();
    private int overrides;
    private final Map<Integer, FleissTally> multiBySize = new HashMap<>();
    private int multi;
    private int disagreements;
    private int withTruth;
    private int correct;
    private int qaSettled;
    private int qaAgreeing;

    void add(Facts facts) {
      ReviewTask task = facts.task();
      if (!facts.escalation()) {
        qa++;
        if (facts.state() == TaskState.SETTLED) {
          qaSettled++;
          if (!task.settlement().orElseThrow().overridesRecommendation()) {
            qaAgreeing++;
          }
        }
        return;
      }
      escalations++;
      switch (facts.state()) {
        case SETTLED -> {
          settled++;
          Settlement settlement = task.settlement().orElseThrow();
          toSettle.add(
              Duration.between(task.assignment().createdAt(), settlement.at()).toSeconds());
          if (settlement.at().isAfter(task.assignment().deadline())) {
            breaches++;
          }
        }
        case TIMED_OUT -> {
          timedOut++;
          breaches++;
        }
        case ADJUDICATION -> awaitingRuling++;
        case OPEN -> {}
      }
      if (!facts.state().finished()) {
        openDeadlines.add(task.assignment().deadline());
      }
      // Verdicts count once their task is finished: figures must not reveal a verdict to someone
      // still deciding the same task (Facts judges only those).
      for (Judged judged : facts.judged()) {
        bias.add(judged);
        if (!judged.agreesWithModel()) {
          overrides++;
        }
        if (judged.correct() != null) {
          withTruth++;
          if (judged.correct()) {
            correct++;
          }
        }
      }
      if (facts.state().finished() && task.verdicts().size() >= 2) {
        multi++;
        multiBySize
            .computeIfAbsent(task.verdicts().size(), size -> new FleissTally())
            .add(task.verdicts());
        if (disagreed(task)) {
          disagreements++;
        }
      }
    }

    void addAll(GroupTally other) {
      escalations += other.escalations;
      qa += other.qa;
      settled += other.settled;
      timedOut += other.timedOut;
      awaitingRuling += other.awaitingRuling;
      breaches += other.breaches;
      openDeadlines.addAll(other.openDeadlines);
      toSettle.addAll(other.toSettle);
      bias.addAll(other.bias);
      overrides += other.overrides;
      other.multiBySize.forEach(
          (size, t) -> multiBySize.computeIfAbsent(size, s -> new FleissTally()).addAll(t));
      multi += other.multi;
      disagreements += other.disagreements;
      withTruth += other.withTruth;
      correct += other.correct;
      qaSettled += other.qaSettled;
      qaAgreeing += other.qaAgreeing;
    }

    Group group(Instant now) {
      int overdue = 0;
      for (Instant deadline : openDeadlines) {
        if (!now.isBefore(deadline)) {
          overdue++;
        }
      }
      int verdicts = bias.blind + bias.sighted;
      return new Group(
          escalations + qa,
          settled,
          timedOut,
          awaitingRuling,
          breaches + overdue,
          toSettle.percentile(0.5),
          toSettle.percentile(0.95),
          verdicts,
          rate(overrides, verdicts),
          multi,
          rate(disagreements, multi),
          boxed(fleiss(multiBySize)),
          withTruth,
          rate(correct, withTruth),
          bias.bias(),
          qaSettled,
          rate(qaAgreeing, qaSettled));
    }
  }

  /** One reviewer's verdicts and rulings, gathered one at a time. */
  private static final class ReviewerTally {
    private int verdicts;
    private int overrides;
    private final LongSample secondsOnTask = new LongSample();
    private int withTruth;
    private int correct;
    private final BiasTally bias = new BiasTally();

    void add(Judged judged) {
      verdicts++;
      if (!judged.agreesWithModel()) {
        overrides++;
      }
      secondsOnTask.add(judged.secondsOnTask());
      if (judged.correct() != null) {
        withTruth++;
        if (judged.correct()) {
          correct++;
        }
      }
      bias.add(judged);
    }

    void addAll(ReviewerTally other) {
      verdicts += other.verdicts;
      overrides += other.overrides;
      secondsOnTask.addAll(other.secondsOnTask);
      withTruth += other.withTruth;
      correct += other.correct;
      bias.addAll(other.bias);
    }

    Reviewer reviewer(String name, List<Pair> pairs) {
      int peerTasks = 0;
      double peerAgreed = 0;
      for (Pair pair : pairs) {
        if (pair.first().equals(name) || pair.second().equals(name)) {
          peerTasks += pair.tasks();
          peerAgreed += pair.agreement() * pair.tasks();
        }
      }
      return new Reviewer(
          verdicts,
          rate(overrides, verdicts),
          secondsOnTask.percentile(0.5),
          withTruth,
          rate(correct, withTruth),
          peerTasks == 0 ? null : peerAgreed / peerTasks,
          bias.bias());
    }
  }

  /** Agreement with the model and time on task, blind and sighted. */
  private static final class BiasTally {
    private int blind;
    private int blindAgreeing;
    private final LongSample blindSeconds = new LongSample();
    private int sighted;
    private int sightedAgreeing;
    private final LongSample sightedSeconds = new LongSample();

    void add(Judged judged) {
      if (judged.verdict().sawRecommendation()) {
        sighted++;
        sightedAgreeing += judged.agreesWithModel() ? 1 : 0;
        sightedSeconds.add(judged.secondsOnTask());
      } else {
        blind++;
        blindAgreeing += judged.agreesWithModel() ? 1 : 0;
        blindSeconds.add(judged.secondsOnTask());
      }
    }

    void addAll(BiasTally other) {
      blind += other.blind;
      blindAgreeing += other.blindAgreeing;
      blindSeconds.addAll(other.blindSeconds);
      sighted += other.sighted;
      sightedAgreeing += other.sightedAgreeing;
      sightedSeconds.addAll(other.sightedSeconds);
    }

    Bias bias() {
      return new Bias(
          blind,
          rate(blindAgreeing, blind),
          blindSeconds.percentile(0.5),
          sighted,
          rate(sightedAgreeing, sighted),
          sightedSeconds.percentile(0.5));
    }
  }

  /**
   * Tasks that had the same number of verdicts, as Fleiss' kappa needs them: how many, the sum over
   * tasks of the squared count of each outcome, and how often each outcome was given.
   */
  private static final class FleissTally {
    private int subjects;
    private long squares;
    private final Map<Outcome, Long> given = new HashMap<>();

    void add(List<Verdict> verdicts) {
      subjects++;
      Map<Outcome, Integer> counts = new HashMap<>();
      for (Verdict verdict : verdicts) {
        counts.merge(verdict.outcome(), 1, Integer::sum);
      }
      counts.forEach(
          (outcome, count) -> {
            squares += (long) count * count;
            given.merge(outcome, (long) count, Long::sum);
          });
    }

    void addAll(FleissTally other) {
      subjects += other.subjects;
      squares += other.squares;
      other.given.forEach((outcome, count) -> given.merge(outcome, count, Long::sum));
    }
  }

  private static boolean disagreed(ReviewTask task) {
    Outcome first = task.verdicts().get(0).outcome();
    for (Verdict verdict : task.verdicts()) {
      if (!verdict.outcome().equals(first)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Fleiss' kappa over the tasks with the most common number of verdicts (it needs one number; on a
   * tie, the fewer verdicts). The categories are the outcomes given: a category nobody chose would
   * change neither kappa.
   */
  private static OptionalDouble fleiss(Map<Integer, FleissTally> bySize) {
    Integer raters = null;
    for (var entry : bySize.entrySet()) {
      int subjects = entry.getValue().subjects;
      if (raters == null
          || subjects > bySize.get(raters).subjects
          || (subjects == bySize.get(raters).subjects && entry.getKey() < raters)) {
        raters = entry.getKey();
      }
    }
    if (raters == null) {
      return OptionalDouble.empty();
    }
    FleissTally same = bySize.get(raters);
    return Agreement.fleiss(
        same.subjects,
        raters,
        same.squares,
        same.given.values().stream().mapToLong(Long::longValue).toArray());
  }

  /** Two reviewers, in name order. */
  private record Reviewers(String first, String second) {}

  /** How often two reviewers gave each pair of outcomes on the same tasks. */
  private static final class PairTally {
    private final Map<List<Outcome>, Integer> ratings = new HashMap<>();

    void add(Outcome first, Outcome second) {
      ratings.merge(List.of(first, second), 1, Integer::sum);
    }

    void addAll(PairTally other) {
      other.ratings.forEach((rating, count) -> ratings.merge(rating, count, Integer::sum));
    }

    Pair pair(Reviewers names) {
      int tasks = 0;
      int agreed = 0;
      java.util.Set<Outcome> given = new java.util.HashSet<>();
      for (var rating : ratings.entrySet()) {
        tasks += rating.getValue();
        Outcome first = rating.getKey().get(0);
        Outcome second = rating.getKey().get(1);
        if (first.equals(second)) {
          agreed += rating.getValue();
        }
        given.add(first);
        given.add(second);
      }
      // Cohen's kappa over the outcomes the two gave.
      List<Outcome> categories =
          given.stream().sorted(java.util.Comparator.comparing(Outcome::wireName)).toList();
      long[][] confusion = new long[categories.size()][categories.size()];
      ratings.forEach(
          (rating, count) ->
              confusion[categories.indexOf(rating.get(0))][categories.indexOf(rating.get(1))] +=
                  count);
      return new Pair(
          names.first(),
          names.second(),
          tasks,
          agreed / (double) tasks,
          boxed(Agreement.cohen(confusion)));
    }
  }

  private static Double boxed(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : null;
  }

  /** {@code part / whole}, or null when there was nothing to measure. */
  public static Double rate(int part, int whole) {
    return whole == 0 ? null : part / (double) whole;
  }
}
