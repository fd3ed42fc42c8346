package io.arbiter.registry;

import io.arbiter.event.DomainEvent;
import io.arbiter.event.Jsonp;
import io.arbiter.registry.DataEntry.DatasetVersionRef;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A registered model version: the software agent that makes decisions, and what it was trained on.
 * Only {@code ref} is required; the rest is what a model card holds.
 *
 * @param owner team or person accountable for the model
 * @param trainedOn the dataset versions its training used
 * @param metrics evaluation metrics by name (e.g. {@code auc})
 * @param features the registered features it takes as inputs
 * @param approvalRequired whether its decisions may be automated only once it is approved (the
 *     registry may also require approval of every version: {@code
 *     arbiter.registry.approval-required}); until then they fail safe to human review
 * @param document the registered document, as accepted
 */
public record ModelVersion(
    ModelVersionRef ref,
    Optional<String> description,
    Optional<String> owner,
    Optional<String> intendedUse,
    List<DatasetVersionRef> trainedOn,
    Optional<Training> training,
    Map<String, Double> metrics,
    List<String> features,
    boolean approvalRequired,
    JsonObject document) {

  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "version",
          "description",
          "owner",
          "intendedUse",
          "trainedOn",
          "training",
          "metrics",
          "features",
          "approvalRequired");

  public ModelVersion {
    Objects.requireNonNull(ref, "ref");
    trainedOn = List.copyOf(trainedOn);
    metrics = Map.copyOf(metrics);
    features = List.copyOf(features);
  }

  /** A version known by name only, with an optional description and owner (seed files). */
  public ModelVersion(ModelVersionRef ref, Optional<String> description, Optional<String> owner) {
    this(
        ref,
        description,
        owner,
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Map.of(),
        List.of(),
        false,
        minimalDocument(ref, description, owner));
  }

  private static JsonObject minimalDocument(
      ModelVersionRef ref, Optional<String> description, Optional<String> owner) {
    JsonObjectBuilder b =
        Jsonp.PROVIDER.createObjectBuilder().add("name", ref.name()).add("version", ref.version());
    description.ifPresent(d -> b.add("description", d));
    owner.ifPresent(o -> b.add("owner", o));
    return b.build();
  }

  /**
   * The training activity that produced the version.
   *
   * @param by who ran it (an agent name)
   * @param hyperParameters as the team records them
   */
  public record Training(
      Optional<Instant> startedAt,
      Optional<Instant> endedAt,
      Optional<String> by,
      Optional<JsonValue> hyperParameters) {}

  /** Reads a model version document (the API body with its name, or the graph's copy). */
  public static ModelVersion parse(JsonObject json) {
    JsonFields f = JsonFields.of(json, FIELDS);
    ModelVersionRef ref = new ModelVersionRef(f.name("name"), f.name("version"));
    var trainedOn =
        f.objects(
            "trainedOn",
            Set.of("dataset", "version"),
            t -> new DatasetVersionRef(t.name("dataset"), t.name("version")));
    var training =
        f.object(
            "training",
            Set.of("startedAt", "endedAt", "by", "hyperParameters"),
            t -> {
              var started = t.time("startedAt");
              var ended = t.time("endedAt");
              if (started.isPresent() && ended.isPresent() && ended.get().isBefore(started.get())) {
                t.fault("endedAt", "must not be before startedAt");
              }
              return new Training(started, ended, t.name("by", false), t.any("hyperParameters"));
            });
    var model =
        new ModelVersion(
            ref,
            f.text("description"),
            f.text("owner"),
            f.text("intendedUse"),
            trainedOn,
            training,
            f.numbers("metrics"),
            f.names("features"),
            f.flag("approvalRequired", false),
            json);
    f.done("model version");
    return model;
  }

  /** The event that records a model version in the graph ({@code model.registered}). */
  public record Registered(ModelVersion model, String actor, Instant time, String subjectIri)
      implements DomainEvent {
    public static final String TYPE = "model.registered";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * A person's approval of a version for use ({@code model.approved}); never by whoever registered
   * it.
   */
  public record Approved(
      ModelVersionRef ref, String actor, Instant time, Optional<String> note, String subjectIri)
      implements DomainEvent {
    public static final String TYPE = "model.approved";

    @Override
    public String type() {
      return TYPE;
    }
  }
}
