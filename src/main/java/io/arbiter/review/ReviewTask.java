package io.arbiter.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A review task as its events leave it. Immutable: {@link #apply} returns the next state, so the
 * same events always give the same task (start-up rebuilds tasks this way from the graph).
 *
 * @param queue the queue it is in now (escalation moves it)
 * @param claims reviewer slots taken and not yet turned into verdicts or released; a claim past its
 *     expiry no longer holds its slot
 * @param verdicts the reviewers' verdicts, in the order given
 * @param ruling a lead reviewer's ruling after disagreement
 * @param adjudicationSince when disagreeing verdicts sent it to a lead
 */
public record ReviewTask(
    ReviewAssignment assignment,
    String queue,
    List<Claim> claims,
    List<Verdict> verdicts,
    Optional<Verdict> ruling,
    List<Escalation> escalations,
    Optional<Settlement> settlement,
    Optional<Instant> adjudicationSince) {

  /** A reviewer slot taken by {@code reviewer} at {@code at}, held until {@code expiresAt}. */
  public record Claim(String reviewer, Instant at, Instant expiresAt) {
    public boolean liveAt(Instant now) {
      return now.isBefore(expiresAt);
    }
  }

  /** A move to another queue because the SLA ran short. */
  public record Escalation(String fromQueue, String toQueue, Instant at) {}

  public ReviewTask {
    Objects.requireNonNull(assignment, "assignment");
    Objects.requireNonNull(queue, "queue");
    claims = List.copyOf(claims);
    verdicts = List.copyOf(verdicts);
    escalations = List.copyOf(escalations);
  }

  /** A task as it was created, before anyone worked on it. */
  public static ReviewTask open(ReviewAssignment assignment) {
    return new ReviewTask(
        assignment,
        assignment.queue(),
        List.of(),
        List.of(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  public String id() {
    return assignment.taskId();
  }

  public TaskState state() {
    if (settlement.isPresent()) {
      return settlement.get().basis() == Settlement.Basis.TIMEOUT
          ? TaskState.TIMED_OUT
          : TaskState.SETTLED;
    }
    return verdicts.size() >= assignment.reviewers() ? TaskState.ADJUDICATION : TaskState.OPEN;
  }

  public List<Claim> liveClaims(Instant now) {
    return claims.stream().filter(c -> c.liveAt(now)).toList();
  }

  public Optional<Claim> liveClaim(String reviewer, Instant now) {
    return claims.stream().filter(c -> c.reviewer().equals(reviewer) && c.liveAt(now)).findFirst();
  }

  /** Reviewer slots nobody holds: verdicts still needed, less live claims. */
  public int freeSlots(Instant now) {
    if (state() != TaskState.OPEN) {
      return 0;
    }
    return Math.max(0, assignment.reviewers() - verdicts.size() - liveClaims(now).size());
  }

  public boolean hasVerdictFrom(String reviewer) {
    return verdicts.stream().anyMatch(v -> v.reviewer().equals(reviewer));
  }

  public boolean overdue(Instant now) {
    return !state().finished() && !now.isBefore(assignment.deadline());
  }

  /**
   * The settlement {@code verdict} would bring: present when it is the last verdict needed and all
   * verdicts agree.
   */
  public Optional<Settlement> settlementAfter(Verdict verdict) {
    if (verdicts.size() + 1 < assignment.reviewers()) {
      return Optional.empty();
    }
    boolean agree = verdicts.stream().allMatch(v -> v.outcome().equals(verdict.outcome()));
    return agree
        ? Optional.of(
            new Settlement(
                verdict.outcome(),
                Settlement.Basis.CONSENSUS,
                verdict.at(),
                verdict.outcome().goesAgainst(assignment.recommendation())))
        : Optional.empty();
  }

  /** The task after {@code event}. */
  public ReviewTask apply(ReviewEvent event) {
    if (!event.taskId().equals(id())) {
      throw new IllegalArgumentException(
          "event for task " + event.taskId() + " applied to " + id());
    }
    List<Claim> nextClaims = new ArrayList<>(claims);
    List<Verdict> nextVerdicts = new ArrayList<>(verdicts);
    List<Escalation> nextEscalations = new ArrayList<>(escalations);
    String nextQueue = queue;
    Optional<Verdict> nextRuling = ruling;
    Optional<Instant> nextAdjudicationSince = adjudicationSince;
    // Java 17: no pattern matching in switch yet.
    if (event instanceof ReviewEvent.Claimed c) {
      // Claiming again extends a live claim; its start stays, so time on task stays honest.
      Instant since =
          claims.stream()
              .filter(claim -> claim.reviewer().equals(c.actor()) && claim.liveAt(c.time()))
              .map(Claim::at)
              .findFirst()
              .orElse(c.time());
      nextClaims.removeIf(claim -> claim.reviewer().equals(c.actor()));
      nextClaims.add(new Claim(c.actor(), since, c.expiresAt()));
    } else if (event instanceof ReviewEvent.Released r) {
      nextClaims.removeIf(claim -> claim.reviewer().equals(r.actor()));
    } else if (event instanceof ReviewEvent.VerdictGiven v) {
      nextClaims.removeIf(claim -> claim.reviewer().equals(v.actor()));
      nextVerdicts.add(v.verdict());
      if (v.settles().isEmpty() && nextVerdicts.size() >= assignment.reviewers()) {
        nextAdjudicationSince = Optional.of(v.time());
      }
    } else if (event instanceof ReviewEvent.Adjudicated a) {
      nextRuling = Optional.of(a.ruling());
    } else if (event instanceof ReviewEvent.Escalated e) {
      // The task starts afresh in its new queue: claims taken in the old one (whose holders may
      // not work the new one) would otherwise hold its slots until they expire.
      nextClaims.clear();
      nextQueue = e.toQueue();
      nextEscalations.add(new Escalation(e.fromQueue(), e.toQueue(), e.time()));
    }
    Optional<Settlement> nextSettlement = settlement.or(event::settlement);
    if (nextSettlement.isPresent()) {
      nextClaims.clear();
    }
    return new ReviewTask(
        assignment,
        nextQueue,
        nextClaims,
        nextVerdicts,
        nextRuling,
        nextEscalations,
        nextSettlement,
        nextAdjudicationSince);
  }
}
