package io.arbiter.decision;

import io.arbiter.event.DomainEvent;
import io.arbiter.registry.ModelRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

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
}
