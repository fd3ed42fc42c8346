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
    // One pass over the window's tasks feeds every figure: at a month of history (30,000 tasks)
    // a stream pass per figure, per queue and per reviewer cost ~90 ms a call (ReviewMetricsBench).
    GroupTally overall = new GroupTally();
    // Hashed while gathering, sorted once at the end (the maps returned are sorted).
    Map<String, GroupTally> queues = new HashMap<>();
    Map<String, ReviewerTally> reviewers = new HashMap<>();
    List<ReviewTask> decided = new ArrayList<>();
    for (ReviewTask task : tasks) {
      Instant created = task.assignment().createdAt();
      if (created.isBefore(from) || !created.isBefore(to)) {
        continue;
      }
      Facts facts = Facts.of(task, truthOf);
      overall.add(facts, now);
      queues.computeIfAbsent(task.queue(), q -> new GroupTally()).add(facts, now);
      // Per reviewer and per pair: settled escalations only (QA verdicts are compared with the
      // automation, not the model).
      if (facts.escalation() && facts.state().finished()) {
        decided.add(task);
        for (Judged judged : facts.judged()) {
          reviewers
              .computeIfAbsent(judged.verdict().reviewer(), r -> new ReviewerTally())
              .add(judged);
        }
      }
    }
    List<Pair> pairs = pairs(decided);
    Map<String, Group> byQueue = new TreeMap<>();
    queues.forEach((queue, tally) -> byQueue.put(queue, tally.group()));
    Map<String, Reviewer> byReviewer = new TreeMap<>();
    reviewers.forEach((name, tally) -> byReviewer.put(name, tally.reviewer(name, pairs)));
    return new ReviewMetrics(from, to, overall.group(), byQueue, byReviewer, pairs);
  }

  /** The figures of one set of tasks, gathered a task at a time. */
  private static final class GroupTally {
    private int escalations;
    private int qa;
    private int settled;
    private int timedOut;
    private int awaitingRuling;
    private int breaches;
    private final LongSample toSettle = new LongSample();
    private final BiasTally bias = new BiasTally();
    private int overrides;
    private final List<ReviewTask> multi = new ArrayList<>();
    private int disagreements;
    private int withTruth;
    private int correct;
    private int qaSettled;
    private int qaAgreeing;

    void add(Facts facts, Instant now) {
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
      if (!facts.state().finished() && !now.isBefore(task.assignment().deadline())) {
        breaches++; // overdue
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
        multi.add(task);
        if (disagreed(task)) {
          disagreements++;
        }
      }
    }

    Group group() {
      int verdicts = bias.blind + bias.sighted;
      return new Group(
          escalations + qa,
          settled,
          timedOut,
          awaitingRuling,
          breaches,
          toSettle.percentile(0.5),
          toSettle.percentile(0.95),
          verdicts,
          rate(overrides, verdicts),
          multi.size(),
          rate(disagreements, multi.size()),
          boxed(fleiss(multi)),
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
   * Fleiss' kappa over the tasks with the most common number of verdicts (it needs one number). The
   * categories are the outcomes given: a category nobody chose would change neither kappa.
   */
  private static OptionalDouble fleiss(List<ReviewTask> multi) {
    // Loops, not a stream a task: this runs over every multi-reviewer task of a month's window.
    Map<Integer, List<ReviewTask>> bySize = new HashMap<>();
    for (ReviewTask task : multi) {
      bySize.computeIfAbsent(task.verdicts().size(), size -> new ArrayList<>()).add(task);
    }
    List<ReviewTask> same = null;
    for (List<ReviewTask> tasks : bySize.values()) {
      if (same == null || tasks.size() > same.size()) {
        same = tasks;
      }
    }
    if (same == null) {
      return OptionalDouble.empty();
    }
    java.util.Set<Outcome> given = new java.util.HashSet<>();
    for (ReviewTask task : same) {
      for (Verdict verdict : task.verdicts()) {
        given.add(verdict.outcome());
      }
    }
    List<Outcome> categories = categories(given.stream());
    List<int[]> counts = new ArrayList<>(same.size());
    for (ReviewTask task : same) {
      int[] count = new int[categories.size()];
      for (Verdict verdict : task.verdicts()) {
        count[categories.indexOf(verdict.outcome())]++;
      }
      counts.add(count);
    }
    return Agreement.fleiss(counts);
  }

  /** The distinct outcomes of these verdicts, in name order: the categories agreement is over. */
  private static List<Outcome> categories(java.util.stream.Stream<Outcome> outcomes) {
    return outcomes.distinct().sorted(java.util.Comparator.comparing(Outcome::wireName)).toList();
  }

  private static List<Pair> pairs(List<ReviewTask> tasks) {
    Map<List<String>, List<Outcome[]>> ratings =
        new TreeMap<>(
            java.util.Comparator.comparing((List<String> p) -> p.get(0))
                .thenComparing(p -> p.get(1)));
    for (ReviewTask task : tasks) {
      List<Verdict> verdicts = task.verdicts();
      for (int i = 0; i < verdicts.size(); i++) {
        for (int j = i + 1; j < verdicts.size(); j++) {
          Verdict a = verdicts.get(i);
          Verdict b = verdicts.get(j);
          boolean ordered = a.reviewer().compareTo(b.reviewer()) < 0;
          Verdict first = ordered ? a : b;
          Verdict second = ordered ? b : a;
          ratings
              .computeIfAbsent(List.of(first.reviewer(), second.reviewer()), k -> new ArrayList<>())
              .add(new Outcome[] {first.outcome(), second.outcome()});
        }
      }
    }
    List<Pair> pairs = new ArrayList<>();
    ratings.forEach(
        (names, pairRatings) -> {
          pairs.add(
              new Pair(
                  names.get(0),
                  names.get(1),
                  pairRatings.size(),
                  count(pairRatings, r -> r[0].equals(r[1])) / (double) pairRatings.size(),
                  boxed(cohen(pairRatings))));
        });
    return pairs;
  }

  /** Cohen's kappa over the outcomes the two gave. */
  private static OptionalDouble cohen(List<Outcome[]> ratings) {
    List<Outcome> categories = categories(ratings.stream().flatMap(java.util.Arrays::stream));
    return Agreement.cohen(
        ratings.stream()
            .map(r -> new int[] {categories.indexOf(r[0]), categories.indexOf(r[1])})
            .toList(),
        categories.size());
  }

  private static <T> int count(Collection<T> items, java.util.function.Predicate<T> test) {
    return (int) items.stream().filter(test).count();
  }

  private static Double boxed(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : null;
  }

  /** {@code part / whole}, or null when there was nothing to measure. */
  public static Double rate(int part, int whole) {
    return whole == 0 ? null : part / (double) whole;
  }
}
