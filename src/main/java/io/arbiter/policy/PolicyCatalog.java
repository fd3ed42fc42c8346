package io.arbiter.policy;

import io.arbiter.config.SeedFile;
import io.arbiter.event.DomainEvent;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every policy version and its lifecycle, and which versions route decisions now.
 *
 * <p>State is derived from events only: at start-up the catalogue replays the recorded {@code
 * policy.*} events from the graph, so a restart finds exactly the states it left. Each change is
 * recorded (durably) before it takes effect, and changes are serialised, so the recorded order is
 * the order in which they took effect.
 *
 * <p>Rules enforced here, not only by roles: a version's author may not approve it; versions are
 * immutable (the same id and version with other content is refused); at most one version of a
 * policy is active and one in shadow; no two active policies govern the same model for the same
 * tenant. A version scoped to tenants takes precedence, for their decisions, over one for every
 * tenant.
 */
public final class PolicyCatalog {

  /** Why seed versions skip approval: whoever controls the deployment controls the server. */
  public static final String SEED_REASON = "seeded from the deployment configuration";

  private record Key(String id, String version) {}

  /** What routes decisions now; replaced whole on every change, so readers never lock. */
  private record Routing(
      Map<Scope, CompiledPolicy> active, Map<Scope, List<CompiledPolicy>> shadows) {}

  /** The outcome of submitting a document: the version, and whether this call created it. */
  public record Registration(PolicyVersionInfo version, boolean created) {}

  private final PolicyRecords records;
  private final EventLog log;
  private final Clock clock;
  private final IriScheme iris;
  private final java.time.Duration evaluationDeadline;
  private final Map<Key, PolicyVersionInfo> versions = new ConcurrentHashMap<>();
  private volatile Routing routing = new Routing(Map.of(), Map.of());

  /**
   * @param evaluationDeadline how long one condition may run before the decision fails safe
   */
  public PolicyCatalog(
      PolicyRecords records,
      EventLog log,
      Clock clock,
      IriScheme iris,
      java.time.Duration evaluationDeadline) {
    this.records = records;
    this.log = log;
    this.clock = clock;
    this.iris = iris;
    this.evaluationDeadline = evaluationDeadline;
  }

  /**
   * Rebuilds every version's state from the graph, then records and activates seed documents that
   * were never seen before. Throws with the file, rule and position of the first bad seed, which
   * stops start-up.
   */
  public synchronized void start(List<SeedFile> seeds, String systemActor)
      throws PolicyDocumentException {
    for (PolicyRecords.Entry entry : records.history()) {
      if (entry instanceof PolicyRecords.RecordedVersion recorded) {
        restore(recorded);
      } else if (entry instanceof PolicyRecords.RecordedTransition step) {
        apply(step.event());
      }
    }
    refreshRouting();
    List<CompiledPolicy> compiled = new ArrayList<>();
    for (SeedFile seed : seeds) {
      try {
        compiled.add(
            PolicyCompiler.compile(
                PolicyParser.parse(seed.name(), seed.text()), evaluationDeadline, false));
      } catch (PolicyDocumentException e) {
        throw new PolicyDocumentException(seed.name(), e.problems());
      }
    }
    for (int i = 0; i < seeds.size(); i++) {
      seed(compiled.get(i), seeds.get(i).name(), systemActor);
    }
    refreshRouting();
  }

  /** The active policy governing a model for every tenant, if any. */
  public Optional<CompiledPolicy> forModel(String modelName) {
    return forModel(modelName, Optional.empty());
  }

  /**
   * The active policy governing a model for a tenant: the version scoped to that tenant if there is
   * one, else the version for every tenant.
   */
  public Optional<CompiledPolicy> forModel(String modelName, Optional<String> tenant) {
    Routing current = routing;
    return tenant
        .map(t -> current.active().get(new Scope(modelName, t)))
        .or(() -> Optional.ofNullable(current.active().get(new Scope(modelName, EVERY_TENANT))));
  }

  /** Versions in shadow for a model and every tenant. */
  public List<CompiledPolicy> shadowsFor(String modelName) {
    return shadowsFor(modelName, Optional.empty());
  }

  /**
   * Versions in shadow for a model and a tenant: evaluated beside the active one, never applied.
   * Those for every tenant and those for the decision's tenant.
   */
  public List<CompiledPolicy> shadowsFor(String modelName, Optional<String> tenant) {
    Routing current = routing;
    List<CompiledPolicy> forAll =
        current.shadows().getOrDefault(new Scope(modelName, EVERY_TENANT), List.of());
    if (tenant.isEmpty()) {
      return forAll;
    }
    List<CompiledPolicy> forTenant =
        current.shadows().getOrDefault(new Scope(modelName, tenant.get()), List.of());
    if (forTenant.isEmpty()) {
      return forAll;
    }
    List<CompiledPolicy> both = new ArrayList<>(forAll);
    both.addAll(forTenant);
    return List.copyOf(both);
  }

  /**
   * A model for a tenant, or for every tenant ({@link #EVERY_TENANT}): at most one version is
   * active per scope.
   */
  private record Scope(String model, String tenant) {}

  /** Not a tenant id (those match the identifier pattern): stands for every tenant. */
  private static final String EVERY_TENANT = "*";

  private static List<Scope> scopes(PolicyDocument document) {
    List<Scope> scopes = new ArrayList<>();
    for (String model : document.models()) {
      if (document.tenants().isEmpty()) {
        scopes.add(new Scope(model, EVERY_TENANT));
      } else {
        document.tenants().forEach(t -> scopes.add(new Scope(model, t)));
      }
    }
    return scopes;
  }

  /** A version in any state, retired ones included (replay needs them). */
  public Optional<PolicyVersionInfo> version(String policyId, String version) {
    return Optional.ofNullable(versions.get(new Key(policyId, version)));
  }

  /**
   * {@link #version}, for a version a request names.
   *
   * @throws ProblemException {@code not-found} when there is no such version
   */
  public PolicyVersionInfo require(String policyId, String version) {
    return version(policyId, version)
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.NOT_FOUND,
                    "There is no version " + version + " of policy " + policyId + "."));
  }

  /** Every version, by policy id and then in the order they were registered. */
  public List<PolicyVersionInfo> list() {
    return versions.values().stream()
        .sorted(
            Comparator.comparing(PolicyVersionInfo::id)
                .thenComparing(PolicyVersionInfo::registeredAt)
                .thenComparing(PolicyVersionInfo::version))
        .toList();
  }

  /**
   * Records a new draft version from a document (YAML or JSON). Submitting a version that exists
   * with the same content returns it unchanged; with other content it is refused.
   *
   * @throws ProblemException {@code invalid-policy} naming every field, rule and CEL position at
   *     fault; {@code state-conflict} for a changed existing version
   */
  public synchronized Registration register(String text, String author) {
    CompiledPolicy compiled;
    try {
      compiled =
          PolicyCompiler.compile(
              PolicyParser.parse("the request body", text), evaluationDeadline, true);
    } catch (PolicyDocumentException e) {
      throw new ProblemException(
          ProblemType.INVALID_POLICY,
          e.problems().size() == 1
              ? "The policy document has a problem."
              : "The policy document has " + e.problems().size() + " problems.",
          e.problems().stream()
              .map(p -> new FieldError(p.path().isEmpty() ? "/" : p.path(), p.message()))
              .toList());
    }
    PolicyDocument document = compiled.document();
    PolicyVersionInfo existing = versions.get(new Key(document.id(), document.version()));
    if (existing != null) {
      if (existing.document().contentHash().equals(document.contentHash())) {
        return new Registration(existing, false);
      }
      throw new ProblemException(
          ProblemType.STATE_CONFLICT,
          "Version "
              + document.version()
              + " of policy "
              + document.id()
              + " exists with other content; versions are immutable, so give the change a new"
              + " version.",
          List.of(
              new FieldError(
                  "version", "already used with content " + existing.document().contentHash())));
    }
    return new Registration(record(compiled, author), true);
  }

  /**
   * Moves a version one step along its life.
   *
   * @param reason why, in the actor's words
   * @throws ProblemException {@code not-found}, {@code state-conflict} (wrong state, or another
   *     active policy governs one of its models), {@code separation-of-duties} (the author
   *     approving)
   */
  public synchronized PolicyVersionInfo transition(
      String policyId,
      String version,
      PolicyTransition transition,
      String actor,
      Optional<String> reason) {
    PolicyVersionInfo info = require(policyId, version);
    if (!transition.allowedFrom(info.state())) {
      throw new ProblemException(
          ProblemType.STATE_CONFLICT,
          "Version "
              + version
              + " of policy "
              + policyId
              + " is "
              + info.state().wireName()
              + "; it cannot "
              + transition.wireName()
              + " from there.");
    }
    if (transition == PolicyTransition.APPROVE && info.author().equals(actor)) {
      throw new ProblemException(
          ProblemType.SEPARATION_OF_DUTIES,
          "You wrote version "
              + version
              + " of policy "
              + policyId
              + "; someone else must approve it.");
    }
    if (transition == PolicyTransition.ACTIVATE) {
      List<FieldError> conflicts = conflicts(info.policy());
      if (!conflicts.isEmpty()) {
        throw new ProblemException(
            ProblemType.STATE_CONFLICT,
            "Another active policy governs a model in this version's scope; retire it first.",
            conflicts);
      }
    }
    record(step(info, transition, actor, reason));
    refreshRouting();
    return versions.get(new Key(policyId, version));
  }

  private void seed(CompiledPolicy compiled, String source, String actor)
      throws PolicyDocumentException {
    PolicyDocument document = compiled.document();
    PolicyVersionInfo info = versions.get(new Key(document.id(), document.version()));
    if (info != null && !info.document().contentHash().equals(document.contentHash())) {
      throw new IllegalStateException(
          "policy "
              + document.id()
              + " version "
              + document.version()
              + " was recorded with content "
              + info.document().contentHash()
              + " but "
              + source
              + " now reads "
              + document.contentHash()
              + ": policy versions are immutable, give the changed policy a new version");
    }
    if (info == null) {
      info = record(compiled, actor);
    }
    if (!info.history().isEmpty()) {
      return; // seeded before; what happened to it since stands
    }
    List<FieldError> conflicts = conflicts(compiled);
    if (!conflicts.isEmpty()) {
      throw new PolicyDocumentException(
          source,
          conflicts.stream()
              .map(c -> new PolicyDocumentException.Problem(c.field(), c.message()))
              .toList());
    }
    record(step(info, PolicyTransition.ACTIVATE, actor, Optional.of(SEED_REASON)));
    refreshRouting();
  }

  /** The event for a step, naming the versions of the same policy it displaces. */
  private PolicyTransitioned step(
      PolicyVersionInfo info, PolicyTransition transition, String actor, Optional<String> reason) {
    Optional<String> endedActive = Optional.empty();
    Optional<String> endedShadow = Optional.empty();
    switch (transition) {
      case ACTIVATE -> {
        endedActive = current(info.id(), PolicyState.ACTIVE);
        endedShadow =
            info.state() == PolicyState.SHADOW ? Optional.of(info.version()) : Optional.empty();
      }
      case SHADOW -> endedShadow = current(info.id(), PolicyState.SHADOW);
      case RETIRE -> {
        endedActive =
            info.state() == PolicyState.ACTIVE ? Optional.of(info.version()) : Optional.empty();
        endedShadow =
            info.state() == PolicyState.SHADOW ? Optional.of(info.version()) : Optional.empty();
      }
      case APPROVE -> {}
    }
    return new PolicyTransitioned(
        info.id(),
        info.version(),
        transition,
        actor,
        clock.instant(),
        iris.policyVersion(info.id(), info.version()),
        endedActive,
        endedShadow,
        reason.filter(r -> !r.isBlank()));
  }

  private Optional<String> current(String policyId, PolicyState state) {
    return versions.values().stream()
        .filter(v -> v.id().equals(policyId) && v.state() == state)
        .map(PolicyVersionInfo::version)
        .findFirst();
  }

  /**
   * Scopes (a model, for a tenant or every tenant) of this version already governed by an active
   * version of another policy.
   */
  private List<FieldError> conflicts(CompiledPolicy candidate) {
    List<FieldError> conflicts = new ArrayList<>();
    for (Scope scope : scopes(candidate.document())) {
      CompiledPolicy other = routing.active().get(scope);
      if (other != null && !other.id().equals(candidate.id())) {
        conflicts.add(
            new FieldError(
                scope.tenant().equals(EVERY_TENANT) ? "scope.models" : "scope.tenants",
                "model "
                    + scope.model()
                    + (scope.tenant().equals(EVERY_TENANT) ? "" : " for tenant " + scope.tenant())
                    + " is governed by active policy "
                    + other.id()
                    + " version "
                    + other.version()));
      }
    }
    return conflicts;
  }

  private PolicyVersionInfo record(CompiledPolicy compiled, String author) {
    PolicyDocument document = compiled.document();
    Optional<String> previous =
        list().stream()
            .filter(v -> v.id().equals(document.id()))
            .reduce((first, second) -> second)
            .map(PolicyVersionInfo::version);
    var event =
        new PolicyRegistered(
            document,
            author,
            clock.instant(),
            iris.policyVersion(document.id(), document.version()),
            previous);
    append(event);
    PolicyVersionInfo info =
        new PolicyVersionInfo(
            compiled,
            PolicyState.DRAFT,
            author,
            event.time(),
            previous,
            Optional.empty(),
            List.of());
    versions.put(new Key(document.id(), document.version()), info);
    return info;
  }

  private void record(PolicyTransitioned event) {
    append(event);
    apply(event);
  }

  private void append(DomainEvent event) {
    try {
      log.append(event).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new ProblemException(
          ProblemType.STORE_UNAVAILABLE,
          "The policy change could not be recorded and did not take effect; it is safe to retry.");
    }
  }

  private void restore(PolicyRecords.RecordedVersion recorded) throws PolicyDocumentException {
    String iri = iris.policyVersion(recorded.policyId(), recorded.version());
    CompiledPolicy compiled =
        PolicyCompiler.compile(
            PolicyParser.parse(iri, recorded.source()), evaluationDeadline, false);
    if (!compiled.document().contentHash().equals(recorded.contentHash())) {
      throw new IllegalStateException(
          iri
              + " was recorded with content hash "
              + recorded.contentHash()
              + " but its recorded document hashes to "
              + compiled.document().contentHash()
              + ": run the ledger verifier");
    }
    versions.put(
        new Key(recorded.policyId(), recorded.version()),
        new PolicyVersionInfo(
            compiled,
            PolicyState.DRAFT,
            recorded.author(),
            recorded.time(),
            recorded.previousVersion(),
            Optional.empty(),
            List.of()));
  }

  /** Applies a recorded step: the same code runs live and when replaying the history. */
  private void apply(PolicyTransitioned event) {
    Key key = new Key(event.policyId(), event.version());
    PolicyVersionInfo info = versions.get(key);
    if (info == null) {
      throw new IllegalStateException(
          "a " + event.type() + " event names unknown policy version " + event.subjectIri());
    }
    event.endedActive().ifPresent(v -> demote(event.policyId(), v, PolicyState.ACTIVE));
    event.endedShadow().ifPresent(v -> demote(event.policyId(), v, PolicyState.SHADOW));
    versions.put(key, versions.get(key).after(event));
  }

  private void demote(String policyId, String version, PolicyState from) {
    Key key = new Key(policyId, version);
    PolicyVersionInfo info = versions.get(key);
    if (info != null && info.state() == from) {
      versions.put(key, info.with(PolicyState.APPROVED));
    }
  }

  private void refreshRouting() {
    Map<Scope, CompiledPolicy> active = new HashMap<>();
    Map<Scope, List<CompiledPolicy>> shadows = new HashMap<>();
    for (PolicyVersionInfo info : list()) {
      for (Scope scope : scopes(info.document())) {
        if (info.state() == PolicyState.ACTIVE) {
          active.put(scope, info.policy());
        } else if (info.state() == PolicyState.SHADOW) {
          shadows.computeIfAbsent(scope, m -> new ArrayList<>()).add(info.policy());
        }
      }
    }
    shadows.replaceAll((model, list) -> List.copyOf(list));
    routing = new Routing(Map.copyOf(active), Map.copyOf(shadows));
  }
}
