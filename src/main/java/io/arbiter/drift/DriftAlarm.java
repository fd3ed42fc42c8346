package io.arbiter.drift;

import io.arbiter.event.DomainEvent;
import io.arbiter.registry.ModelVersionRef;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The events of a drift alarm: raised when live inputs drift past a threshold, later cleared. */
public sealed interface DriftAlarm extends DomainEvent {

  ModelVersionRef model();

  /** The alarm's id, shared by its raising and its clearing. */
  String alarmId();

  /** Every statistic assessed at the time, the ones past their threshold included. */
  List<Measurement> measurements();

  @Override
  default String actor() {
    return io.arbiter.registry.ModelRegistry.SYSTEM_ACTOR;
  }

  enum Statistic {
    PSI,
    KS;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One statistic of one input, as assessed.
   *
   * @param feature the input name, or {@link io.arbiter.policy.DriftFacts#SCORE}
   * @param samples the window's size when assessed
   * @param threshold the threshold it was compared with: to raise, or to clear
   * @param beyond whether it passed that threshold (above to raise, not below to clear)
   */
  record Measurement(
      String feature,
      Statistic statistic,
      double value,
      long samples,
      double threshold,
      boolean beyond) {}

  /**
   * @param referenceIri the reference profile the live inputs were compared with
   */
  record Raised(
      ModelVersionRef model,
      String alarmId,
      String referenceIri,
      List<Measurement> measurements,
      Instant time,
      String subjectIri)
      implements DriftAlarm {
    public static final String TYPE = "drift.alarm-raised";

    public Raised {
      measurements = List.copyOf(measurements);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  record Cleared(
      ModelVersionRef model,
      String alarmId,
      List<Measurement> measurements,
      Instant time,
      String subjectIri)
      implements DriftAlarm {
    public static final String TYPE = "drift.alarm-cleared";

    public Cleared {
      measurements = List.copyOf(measurements);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
