package io.arbiter.drift;

import io.arbiter.event.DomainEvent;
import io.arbiter.policy.DriftFacts;
import io.arbiter.registry.ModelVersionRef;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The reference distributions a model version's live inputs are compared with, typically those of
 * its training or validation data.
 *
 * @param distributions per input name, and for the model's score under {@link DriftFacts#SCORE}
 */
public record ReferenceProfile(ModelVersionRef model, Map<String, Distribution> distributions) {

  public ReferenceProfile {
    Objects.requireNonNull(model, "model");
    distributions = Collections.unmodifiableMap(new TreeMap<>(distributions));
    if (distributions.isEmpty()) {
      throw new IllegalArgumentException("a reference profile needs at least one distribution");
    }
  }

  /**
   * The event putting a reference profile in force for a model version ({@code
   * drift.reference-registered}); a later one replaces it. Four eyes: the profile is its author's,
   * the event its approver's, and they are two people.
   *
   * @param actor who approved it, and so put it in force
   * @param author who uploaded it
   * @param subjectIri the profile's own IRI
   */
  public record Registered(
      ReferenceProfile profile, String actor, Instant time, String subjectIri, String author)
      implements DomainEvent {
    public static final String TYPE = "drift.reference-registered";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * A profile uploaded and waiting for another person's approval; held in memory until then.
   *
   * @param iri the IRI it will have once approved
   */
  public record Pending(ReferenceProfile profile, String iri, String author, Instant uploadedAt) {}
}
