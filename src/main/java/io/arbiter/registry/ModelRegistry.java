package io.arbiter.registry;

import io.arbiter.config.SeedFile;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.event.Jsonp;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.DataEntry.DatasetVersion;
import io.arbiter.registry.DataEntry.DatasetVersionRef;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which model versions may make decisions, and what each was trained on. Versions are registered
 * through the API or seed files (each recorded once as a {@code model.registered} event) and
 * approved by someone other than who registered them ({@code model.approved}).
 *
 * <p>Approval gates automation where it is required: for every version when the registry is so
 * configured ({@code arbiter.registry.approval-required}), else for versions registered with {@code
 * approvalRequired: true}. Until such a version is approved, policies send its decisions to human
 * review ({@link #awaitsApproval}).
 */
public final class ModelRegistry {

  /** The agent name under which Arbiter records what it does by itself. */
  public static final String SYSTEM_ACTOR = "arbiter";

  private final RegistryRecords records;
  private final DataRegistry data;
  private final EventLog log;
  private final Clock clock;
  private final IriScheme iris;
  private final boolean approvalRequired;
  private final Set<ModelVersionRef> registered = ConcurrentHashMap.newKeySet();
  private final Map<ModelVersionRef, Registration<ModelVersion>> versions =
      new ConcurrentHashMap<>();

  /** A registry that requires approval only of versions registered as requiring it. */
  public ModelRegistry(
      RegistryRecords records, DataRegistry data, EventLog log, Clock clock, IriScheme iris) {
    this(records, data, log, clock, iris, false);
  }

  /**
   * @param approvalRequired whether every model version must be approved before its decisions are
   *     automated, whatever its registration says
   */
  public ModelRegistry(
      RegistryRecords records,
      DataRegistry data,
      EventLog log,
      Clock clock,
      IriScheme iris,
      boolean approvalRequired) {
    this.approvalRequired = approvalRequired;
    this.records = records;
    this.data = data;
    this.log = log;
    this.clock = clock;
    this.iris = iris;
  }

  /**
   * Loads what the graph holds (data entries too) and registers every seeded version not yet there.
   * Blocks until the new registrations are durable; fails start-up on an invalid seed.
   */
  public void start(List<SeedFile> seeds) {
    List<RegistryRecords.RecordedEntry> history = records.registryHistory();
    data.start(history);
    for (RegistryRecords.RecordedEntry e : history) {
      var json = Jsonp.STRICT_READERS.createReader(new StringReader(e.document())).readObject();
      if (ModelVersion.Registered.TYPE.equals(e.type())) {
        ModelVersion model = ModelVersion.parse(json);
        versions.put(
            model.ref(),
            new Registration<>(model, e.subjectIri(), e.actor(), e.time(), Optional.empty()));
      } else if (ModelVersion.Approved.TYPE.equals(e.type())) {
        versions.values().stream()
            .filter(r -> r.iri().equals(e.subjectIri()))
            .findFirst()
            .ifPresent(
                r ->
                    versions.put(
                        r.value().ref(),
                        r.approved(new Registration.Approval(e.actor(), e.time(), note(json)))));
      }
    }
    registered.addAll(records.registeredVersions());
    registered.addAll(versions.keySet());
    for (SeedFile seed : seeds) {
      ModelVersion model = ModelSeedParser.parse(seed.name(), seed.text());
      if (!registered.contains(model.ref())) {
        register(model, SYSTEM_ACTOR);
      }
    }
  }

  private static Optional<String> note(JsonObject json) {
    return json.get("note") instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
  }

  /**
   * Records a new model version after checking that what it was trained on and takes as inputs is
   * registered, and that its training started after the data it used was built.
   *
   * @return the registration, and whether this call made it (false: the same document was there)
   */
  public synchronized Result register(ModelVersion model, String actor) {
    var existing = versions.get(model.ref());
    if (existing != null) {
      if (existing.value().document().equals(model.document())) {
        return new Result(existing, false);
      }
      throw new ProblemException(
          ProblemType.STATE_CONFLICT,
          "Model "
              + model.ref()
              + " is registered with a different document; versions are immutable, register a"
              + " new version.",
          List.of(new FieldError("version", "already registered")));
    }
    if (registered.contains(model.ref())) {
      throw new ProblemException(
          ProblemType.STATE_CONFLICT,
          "Model " + model.ref() + " is already registered.",
          List.of(new FieldError("version", "already registered")));
    }
    checkReferences(model);
    var event =
        new ModelVersion.Registered(
            model,
            actor,
            clock.instant(),
            iris.modelVersion(model.ref().name(), model.ref().version()));
    RegistryLog.record(log, event);
    var registration =
        new Registration<>(
            model,
            event.subjectIri(),
            actor,
            event.time(),
            Optional.<Registration.Approval>empty());
    versions.put(model.ref(), registration);
    registered.add(model.ref());
    return new Result(registration, true);
  }

  /** A registration, and whether this call made it. */
  public record Result(Registration<ModelVersion> registration, boolean created) {}

  /** Approves a version for use. Separation of duties: whoever registered it may not approve it. */
  public synchronized Registration<ModelVersion> approve(
      ModelVersionRef ref, String approver, Optional<String> note) {
    var existing =
        find(ref)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.NOT_FOUND, "No registered model version " + ref + "."));
    if (existing.approval().isPresent()) {
      throw new ProblemException(
          ProblemType.STATE_CONFLICT,
          "Model " + ref + " was approved already by " + existing.approval().get().approvedBy());
    }
    if (existing.registeredBy().equals(approver)) {
      throw new ProblemException(
          ProblemType.SEPARATION_OF_DUTIES,
          "Model " + ref + " was registered by " + approver + ", who may not also approve it.");
    }
    Instant now = clock.instant();
    RegistryLog.record(log, new ModelVersion.Approved(ref, approver, now, note, existing.iri()));
    var approved = existing.approved(new Registration.Approval(approver, now, note));
    versions.put(ref, approved);
    return approved;
  }

  private void checkReferences(ModelVersion model) {
    List<FieldError> errors = new ArrayList<>();
    Optional<Instant> trainingStart = model.training().flatMap(ModelVersion.Training::startedAt);
    for (int i = 0; i < model.trainedOn().size(); i++) {
      DatasetVersionRef ref = model.trainedOn().get(i);
      var found = data.datasetVersion(ref);
      if (found.isEmpty()) {
        errors.add(new FieldError("trainedOn[" + i + "]", "no registered dataset version " + ref));
        continue;
      }
      // PROV-CONSTRAINTS: an entity is generated before it is used.
      Optional<Instant> built = ((DatasetVersion) found.get().value()).createdAt();
      if (trainingStart.isPresent()
          && built.isPresent()
          && trainingStart.get().isBefore(built.get())) {
        errors.add(
            new FieldError(
                "training.startedAt",
                "before dataset version " + ref + " was created (" + built.get() + ")"));
      }
    }
    for (int i = 0; i < model.features().size(); i++) {
      if (data.feature(model.features().get(i)).isEmpty()) {
        errors.add(
            new FieldError(
                "features[" + i + "]", "no registered feature " + model.features().get(i)));
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "Model " + model.ref() + " refers to entries that are not registered or not valid.",
          errors);
    }
  }

  public boolean isRegistered(ModelVersionRef ref) {
    return registered.contains(ref);
  }

  /**
   * Whether approval of this registered version is required before its decisions are automated (by
   * the registry's setting or its own registration) and it has none yet. False for a version that
   * is not registered: that fails safe for its own reason. Constant time: intake asks it.
   */
  public boolean awaitsApproval(ModelVersionRef ref) {
    if (!registered.contains(ref)) {
      return false;
    }
    var found = versions.get(ref);
    if (found == null) {
      // Registered before documents were kept: nothing says it requires approval but the setting.
      return approvalRequired;
    }
    return (approvalRequired || found.value().approvalRequired()) && found.approval().isEmpty();
  }

  /**
   * A version's registration. Versions registered before documents were kept (none in a new store)
   * answer with their reference only.
   */
  public Optional<Registration<ModelVersion>> find(ModelVersionRef ref) {
    var found = versions.get(ref);
    if (found == null && registered.contains(ref)) {
      return Optional.of(
          new Registration<>(
              new ModelVersion(ref, Optional.empty(), Optional.empty()),
              iris.modelVersion(ref.name(), ref.version()),
              SYSTEM_ACTOR,
              Instant.EPOCH,
              Optional.empty()));
    }
    return Optional.ofNullable(found);
  }

  /** Every registered version, by name then version. */
  public List<Registration<ModelVersion>> all() {
    return registered.stream()
        .sorted(Comparator.comparing(ModelVersionRef::name).thenComparing(ModelVersionRef::version))
        .map(ref -> find(ref).orElseThrow())
        .toList();
  }

  /** The data registry, for what models refer to. */
  public DataRegistry data() {
    return data;
  }
}
