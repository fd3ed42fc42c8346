package io.arbiter.review;

import io.arbiter.decision.DecisionId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Review tasks as a month of work leaves them, drawn from a seeded {@link Random}: for the review
 * figures' benchmark and for the tests that compare ways of computing those figures.
 */
public final class SimulatedReviews {

  private SimulatedReviews() {}

  /**
   * The {@code i}-th of {@code n} tasks created evenly over {@code days} from {@code start}: a
   * tenth QA reviews, a third of escalations with two reviewers, a third of all tasks open, a few
   * timed out, four escalation queues, twenty reviewers and three leads.
   */
  public static ReviewTask task(Instant start, int days, int i, int n, Random random) {
    Instant created = start.plusSeconds((long) i * days * 86_400 / n);
    boolean qa = random.nextInt(10) == 0;
    int reviewers = qa ? 1 : random.nextInt(3) == 0 ? 2 : 1;
    String recommendation = random.nextBoolean() ? "approve" : "reject";
    ReviewAssignment assignment =
        new ReviewAssignment(
            "t" + i,
            qa ? TaskKind.QA : TaskKind.ESCALATION,
            DecisionId.next(created),
            qa ? ReviewAssignment.QA_QUEUE : "queue-" + random.nextInt(4),
            reviewers,
            random.nextBoolean(),
            false,
            created,
            created.plus(Duration.ofHours(8)),
            recommendation,
            "bench",
            Optional.empty(),
            Optional.of("rule-" + random.nextInt(6)),
            List.of("ok"));
    ReviewTask open = ReviewTask.open(assignment);
    if (random.nextInt(3) == 0) {
      return open;
    }
    if (random.nextInt(40) == 0) {
      Instant at = assignment.deadline();
      return withSettlement(
          open,
          List.of(),
          Optional.empty(),
          settlement(Outcome.REJECT, Settlement.Basis.TIMEOUT, at, recommendation));
    }
    List<Verdict> verdicts = new ArrayList<>();
    List<String> pool = new ArrayList<>();
    for (int r = 0; r < 20; r++) {
      pool.add("reviewer-" + r);
    }
    Collections.shuffle(pool, random);
    Instant at = created;
    for (int v = 0; v < reviewers; v++) {
      Instant started = at.plusSeconds(60 + random.nextInt(3_600));
      at = started.plusSeconds(30 + random.nextInt(900));
      Outcome outcome =
          random.nextInt(10) < 8 ? new Outcome(recommendation) : opposite(recommendation);
      verdicts.add(
          new Verdict(
              pool.get(v),
              outcome,
              "ok",
              List.of(),
              Optional.empty(),
              !assignment.blind(),
              started,
              at));
    }
    boolean agree = verdicts.stream().map(Verdict::outcome).distinct().count() == 1;
    if (agree) {
      return withSettlement(
          open,
          verdicts,
          Optional.empty(),
          settlement(verdicts.get(0).outcome(), Settlement.Basis.CONSENSUS, at, recommendation));
    }
    Instant ruled = at.plusSeconds(600);
    Verdict ruling =
        new Verdict(
            "lead-" + random.nextInt(3),
            verdicts.get(0).outcome(),
            "ok",
            List.of(),
            Optional.of("ruled"),
            true,
            at,
            ruled);
    return withSettlement(
        open,
        verdicts,
        Optional.of(ruling),
        settlement(ruling.outcome(), Settlement.Basis.ADJUDICATION, ruled, recommendation));
  }

  private static Outcome opposite(String recommendation) {
    return recommendation.equals("approve") ? Outcome.REJECT : Outcome.APPROVE;
  }

  private static Settlement settlement(
      Outcome outcome, Settlement.Basis basis, Instant at, String recommendation) {
    return new Settlement(outcome, basis, at, outcome.goesAgainst(recommendation));
  }

  private static ReviewTask withSettlement(
      ReviewTask open, List<Verdict> verdicts, Optional<Verdict> ruling, Settlement settlement) {
    return new ReviewTask(
        open.assignment(),
        open.queue(),
        List.of(),
        verdicts,
        ruling,
        List.of(),
        Optional.of(settlement),
        ruling.map(Verdict::startedAt));
  }
}
