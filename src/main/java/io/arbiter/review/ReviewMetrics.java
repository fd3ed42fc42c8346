package io.arbiter.review;

import io.arbiter.decision.DecisionId;
import io.arbiter.policy.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

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

  /** A verdict with the task it belongs to. */
  private record Judged(ReviewTask task, Verdict verdict) {
    boolean agreesWithModel() {
      return !verdict.outcome().goesAgainst(task.assignment().recommendation());
    }

    long secondsOnTask() {
      return Duration.between(verdict.startedAt(), verdict.at()).toSeconds();
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
    // Each verdict's decision is looked up several times over (per queue, per reviewer, overall):
    // once per decision is enough.
    Map<DecisionId, Optional<Route>> known = new java.util.HashMap<>();
    Function<DecisionId, Optional<Route>> truth = id -> known.computeIfAbsent(id, truthOf);
    List<ReviewTask> selected =
        tasks.stream()
            .filter(t -> !t.assignment().createdAt().isBefore(from))
            .filter(t -> t.assignment().createdAt().isBefore(to))
            .toList();
    Map<String, Group> byQueue = new TreeMap<>();
    selected.stream()
        .collect(Collectors.groupingBy(ReviewTask::queue))
        .forEach((queue, inQueue) -> byQueue.put(queue, group(inQueue, truth, now)));
    // Per reviewer and per pair: settled escalations only (QA verdicts are compared with the
    // automation, not the model).
    List<ReviewTask> decided =
        selected.stream()
            .filter(t -> t.assignment().kind() == TaskKind.ESCALATION)
            .filter(t -> t.state().finished())
            .toList();
    List<Judged> judged = judged(decided);
    Map<String, List<Judged>> perReviewer =
        judged.stream().collect(Collectors.groupingBy(j -> j.verdict().reviewer()));
    List<Pair> pairs = pairs(decided);
    Map<String, Reviewer> byReviewer = new TreeMap<>();
    perReviewer.forEach(
        (name, theirs) -> byReviewer.put(name, reviewer(name, theirs, pairs, truth)));
    return new ReviewMetrics(from, to, group(selected, truth, now), byQueue, byReviewer, pairs);
  }

  private static List<Judged> judged(List<ReviewTask> tasks) {
    List<Judged> judged = new ArrayList<>();
    for (ReviewTask task : tasks) {
      task.verdicts().forEach(v -> judged.add(new Judged(task, v)));
      task.ruling().ifPresent(r -> judged.add(new Judged(task, r)));
    }
    return judged;
  }

  private static Group group(
      List<ReviewTask> tasks, Function<DecisionId, Optional<Route>> truth, Instant now) {
    List<ReviewTask> escalations =
        tasks.stream().filter(t -> t.assignment().kind() == TaskKind.ESCALATION).toList();
    List<ReviewTask> qa = tasks.stream().filter(t -> t.assignment().kind() == TaskKind.QA).toList();
    int settled = count(escalations, t -> t.state() == TaskState.SETTLED);
    int timedOut = count(escalations, t -> t.state() == TaskState.TIMED_OUT);
    int awaitingRuling = count(escalations, t -> t.state() == TaskState.ADJUDICATION);
    int breaches =
        timedOut
            + count(escalations, t -> t.overdue(now))
            + count(
                escalations,
                t ->
                    t.state() == TaskState.SETTLED
                        && t.settlement().orElseThrow().at().isAfter(t.assignment().deadline()));
    List<Long> toSettle =
        escalations.stream()
            .filter(t -> t.state() == TaskState.SETTLED)
            .map(
                t ->
                    Duration.between(t.assignment().createdAt(), t.settlement().orElseThrow().at())
                        .toSeconds())
            .sorted()
            .toList();
    // Verdicts count once their task is finished: figures must not reveal a verdict to someone
    // still deciding the same task.
    List<ReviewTask> finished = escalations.stream().filter(t -> t.state().finished()).toList();
    List<Judged> verdicts = judged(finished);
    List<ReviewTask> multi = finished.stream().filter(t -> t.verdicts().size() >= 2).toList();
    List<Judged> withTruth =
        verdicts.stream()
            .filter(j -> truth.apply(j.task().assignment().decision()).isPresent())
            .toList();
    List<ReviewTask> qaSettled = qa.stream().filter(t -> t.state() == TaskState.SETTLED).toList();
    return new Group(
        escalations.size() + qa.size(),
        settled,
        timedOut,
        awaitingRuling,
        breaches,
        percentile(toSettle, 0.5),
        percentile(toSettle, 0.95),
        verdicts.size(),
        rate(count(verdicts, j -> !j.agreesWithModel()), verdicts.size()),
        multi.size(),
        rate(count(multi, ReviewMetrics::disagreed), multi.size()),
        boxed(fleiss(multi)),
        withTruth.size(),
        rate(count(withTruth, j -> correct(j, truth)), withTruth.size()),
        bias(verdicts),
        qaSettled.size(),
        rate(
            count(qaSettled, t -> !t.settlement().orElseThrow().overridesRecommendation()),
            qaSettled.size()));
  }

  private static boolean disagreed(ReviewTask task) {
    return task.verdicts().stream().map(Verdict::outcome).distinct().count() > 1;
  }

  private static boolean correct(Judged judged, Function<DecisionId, Optional<Route>> truth) {
    return truth
        .apply(judged.task().assignment().decision())
        .map(right -> right.equals(judged.verdict().outcome().route()))
        .orElse(false);
  }

  /**
   * Fleiss' kappa over the tasks with the most common number of verdicts (it needs one number). The
   * categories are the outcomes given: a category nobody chose would change neither kappa.
   */
  private static OptionalDouble fleiss(List<ReviewTask> multi) {
    Map<Integer, List<ReviewTask>> bySize =
        multi.stream().collect(Collectors.groupingBy(t -> t.verdicts().size()));
    return bySize.values().stream()
        .max(java.util.Comparator.comparingInt(List::size))
        .map(
            same -> {
              List<Outcome> categories =
                  categories(
                      same.stream().flatMap(t -> t.verdicts().stream()).map(Verdict::outcome));
              return Agreement.fleiss(
                  same.stream()
                      .map(
                          t -> {
                            int[] counts = new int[categories.size()];
                            t.verdicts().forEach(v -> counts[categories.indexOf(v.outcome())]++);
                            return counts;
                          })
                      .toList());
            })
        .orElse(OptionalDouble.empty());
  }

  /** The distinct outcomes of these verdicts, in name order: the categories agreement is over. */
  private static List<Outcome> categories(java.util.stream.Stream<Outcome> outcomes) {
    return outcomes.distinct().sorted(java.util.Comparator.comparing(Outcome::wireName)).toList();
  }

  private static Bias bias(List<Judged> verdicts) {
    List<Judged> blind = verdicts.stream().filter(j -> !j.verdict().sawRecommendation()).toList();
    List<Judged> sighted = verdicts.stream().filter(j -> j.verdict().sawRecommendation()).toList();
    return new Bias(
        blind.size(),
        rate(count(blind, Judged::agreesWithModel), blind.size()),
        percentile(blind.stream().map(Judged::secondsOnTask).sorted().toList(), 0.5),
        sighted.size(),
        rate(count(sighted, Judged::agreesWithModel), sighted.size()),
        percentile(sighted.stream().map(Judged::secondsOnTask).sorted().toList(), 0.5));
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

  private static Reviewer reviewer(
      String name,
      List<Judged> theirs,
      List<Pair> pairs,
      Function<DecisionId, Optional<Route>> truth) {
    List<Judged> withTruth =
        theirs.stream()
            .filter(j -> truth.apply(j.task().assignment().decision()).isPresent())
            .toList();
    int peerTasks = 0;
    double peerAgreed = 0;
    for (Pair pair : pairs) {
      if (pair.first().equals(name) || pair.second().equals(name)) {
        peerTasks += pair.tasks();
        peerAgreed += pair.agreement() * pair.tasks();
      }
    }
    return new Reviewer(
        theirs.size(),
        rate(count(theirs, j -> !j.agreesWithModel()), theirs.size()),
        percentile(theirs.stream().map(Judged::secondsOnTask).sorted().toList(), 0.5),
        withTruth.size(),
        rate(count(withTruth, j -> correct(j, truth)), withTruth.size()),
        peerTasks == 0 ? null : peerAgreed / peerTasks,
        bias(theirs));
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

  /** The nearest-rank percentile of sorted values; null for none. */
  public static Long percentile(List<Long> sorted, double quantile) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(quantile * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
