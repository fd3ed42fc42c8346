package io.arbiter.drift;

import io.arbiter.registry.ModelVersionRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A monitored model version's drift now: its reference, the alarm if one is raised, and per input
 * the window's size and the statistics of the last assessment.
 *
 * @param assessedAt when the statistics were computed; empty before the first assessment
 */
public record DriftStatus(
    ModelVersionRef model,
    String referenceIri,
    Optional<String> alarm,
    Optional<Instant> assessedAt,
    List<Input> inputs) {

  /**
   * @param samples values in the input's window now
   * @param psi at the last assessment, if the window had enough values then
   * @param ks likewise, for ordered (numeric) inputs
   * @param counts the window's values per bucket now, in the reference's bucket order: a
   *     histogram's bins, or a categorical's categories in sorted order then one bucket for
   *     categories the reference never saw
   */
  public record Input(
      String name, long samples, OptionalDouble psi, OptionalDouble ks, List<Long> counts) {
    public Input {
      counts = List.copyOf(counts);
    }
  }

  public DriftStatus {
    inputs = List.copyOf(inputs);
  }
}
