package io.arbiter.decision;

import io.arbiter.event.DomainEvent;
import io.arbiter.policy.Route;
import io.arbiter.registry.ModelRegistry;
import io.arbiter.registry.ModelVersionRef;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The UTC hour a decision was submitted in. Every decision links to its hour, and each hour is
 * described once, so a query over a time window starts from the few hours in the window and reads
 * only their decisions: TDB2 has no range index on literals, and filtering on {@code
 * arb:submittedAt} alone reads every decision ever made.
 *
 * @param start the hour's first instant, on the hour in UTC
 */
public record SubmissionHour(Instant start) implements Comparable<SubmissionHour> {

  public SubmissionHour {
    Objects.requireNonNull(start, "start");
    if (!start.truncatedTo(ChronoUnit.HOURS).equals(start)) {
      throw new IllegalArgumentException("an hour starts on the hour: " + start);
    }
  }

  /** The hour the instant falls in. */
  public static SubmissionHour of(Instant at) {
    return new SubmissionHour(at.truncatedTo(ChronoUnit.HOURS));
  }

  /** Exclusive: the next hour's start. */
  public Instant end() {
    return start.plus(Duration.ofHours(1));
  }

  @Override
  public int compareTo(SubmissionHour other) {
    return start.compareTo(other.start);
  }

  /**
   * Arbiter describes an hour ({@code decision.hour-indexed}): before the first decision it records
   * in that hour, and at start-up for hours a store recorded before hours were indexed.
   *
   * @param decisionIris decisions of this hour recorded before hours were indexed, whose own
   *     bundles therefore do not link them to it; this bundle does. Empty for a new hour.
   */
  public record Indexed(
      SubmissionHour hour, String subjectIri, List<String> decisionIris, Instant time)
      implements DomainEvent {
    public static final String TYPE = "decision.hour-indexed";

    public Indexed {
      Objects.requireNonNull(hour, "hour");
      Objects.requireNonNull(subjectIri, "subjectIri");
      Objects.requireNonNull(time, "time");
      decisionIris = List.copyOf(decisionIris);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String actor() {
      return ModelRegistry.SYSTEM_ACTOR;
    }
  }

  /**
   * An hour's latest tally as the graph holds it: its revision and how many decisions it counts.
   */
  public record TallyState(int revision, long decisions) {}

  /**
   * One cell of an hour's tally: how many of the hour's decisions one model version made under one
   * policy version (or none) that went one way, and when the first and last of them came.
   */
  public record Cell(
      ModelVersionRef model,
      Optional<PolicyRef> policy,
      Route route,
      long decisions,
      Instant first,
      Instant last) {

    public Cell {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(route, "route");
      if (decisions < 1 || last.isBefore(first)) {
        throw new IllegalArgumentException("a cell counts at least one decision, first to last");
      }
    }
  }

  /**
   * Arbiter tallies an hour once it is over ({@code decision.hour-tallied}), so that counts over a
   * long window add up a few cells per hour instead of reading every decision. A decision kept in
   * an hour already tallied (a clock set back, a write slower than the grace period) makes Arbiter
   * tally the hour again; the new tally is a revision of the old, and queries read the latest.
   *
   * @param subjectIri the tally's IRI ({@code IriScheme.hourTally}); the hour's IRI and that of the
   *     revision it replaces follow from the hour and the revision
   * @param revision 1 for the hour's first tally, then 2, 3, ...: each replaces the one before
   * @param cells every cell, in a stable order; none for an hour whose decisions all failed
   */
  public record Tallied(
      SubmissionHour hour, String subjectIri, int revision, List<Cell> cells, Instant time)
      implements DomainEvent {
    public static final String TYPE = "decision.hour-tallied";

    public Tallied {
      Objects.requireNonNull(hour, "hour");
      Objects.requireNonNull(subjectIri, "subjectIri");
      Objects.requireNonNull(time, "time");
      if (revision < 1) {
        throw new IllegalArgumentException("revisions count from 1");
      }
      cells = List.copyOf(cells);
    }

    public long decisions() {
      return cells.stream().mapToLong(Cell::decisions).sum();
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String actor() {
      return ModelRegistry.SYSTEM_ACTOR;
    }
  }
}
