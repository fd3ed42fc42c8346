package io.arbiter.slo;

import io.arbiter.event.DomainEvent;
import io.arbiter.registry.ModelRegistry;
import java.time.Instant;

/** The events of an objective's breach: it began, later it ended. */
public sealed interface SloBreach extends DomainEvent {

  Objective objective();

  /** The breach's id, shared by its beginning and its end. */
  String breachId();

  /** The objective's state when the breach began or ended. */
  Measurement measurement();

  @Override
  default String actor() {
    return ModelRegistry.SYSTEM_ACTOR;
  }

  /**
   * @param sli the share of good events (for a band objective, the rate itself)
   * @param burnRate how fast the error budget burns, 1 meaning exactly as fast as the target
   *     allows; NaN for band objectives
   */
  record Measurement(long good, long total, double sli, double burnRate) {}

  record Began(
      Objective objective,
      String breachId,
      Measurement measurement,
      Instant time,
      String subjectIri)
      implements SloBreach {
    public static final String TYPE = "slo.breached";

    @Override
    public String type() {
      return TYPE;
    }
  }

  record Ended(
      Objective objective,
      String breachId,
      Measurement measurement,
      Instant time,
      String subjectIri)
      implements SloBreach {
    public static final String TYPE = "slo.recovered";

    @Override
    public String type() {
      return TYPE;
    }
  }
}
