package io.arbiter.drift;

import io.arbiter.decision.Decision;
import io.arbiter.decision.FeatureValue;
import io.arbiter.drift.DriftAlarm.Measurement;
import io.arbiter.drift.DriftAlarm.Statistic;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.DriftFacts;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.ModelRegistry;
import io.arbiter.registry.ModelVersionRef;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the live inputs of every model version with a reference profile.
 *
 * <p>Intake pays only for {@link #factsFor} (one map lookup) and {@link #observe} (per monitored
 * input: a bucket lookup and a constant-time window update under the model version's lock). {@link
 * #assess}, run periodically off the request path, computes the statistics, raises or clears the
 * alarm (recorded before it takes effect) and publishes the facts the next decisions see.
 */
public final class DriftMonitor {

  private static final Logger LOG = Logger.getLogger(DriftMonitor.class.getName());

  private final ModelRegistry registry;
  private final EventLog log;
  private final Clock clock;
  private final IriScheme iris;
  private final DriftSettings settings;
  private final Map<ModelVersionRef, Watch> watches = new ConcurrentHashMap<>();
  private final Map<ModelVersionRef, ReferenceProfile.Pending> pending = new ConcurrentHashMap<>();
  private final List<java.util.function.Consumer<ModelVersionRef>> watchedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** One monitored model version and the windows of its monitored inputs. */
  private static final class Watch {
    final ReferenceProfile profile;
    final String referenceIri;
    final String[] names;
    final Distribution.Bucketer[] bucketers;
    final double[][] expected;
    final boolean[] ordered;
    final SlidingWindow[] windows; // guarded by this Watch

    // Written only under the monitor's lock; read by intake.
    volatile Optional<String> alarm;
    volatile DriftFacts facts;
    volatile Optional<Instant> assessedAt = Optional.empty();

    Watch(ReferenceProfile profile, String referenceIri, Optional<String> alarm, int window) {
      this.profile = profile;
      this.referenceIri = referenceIri;
      int n = profile.distributions().size();
      names = profile.distributions().keySet().toArray(String[]::new);
      bucketers = new Distribution.Bucketer[n];
      expected = new double[n][];
      ordered = new boolean[n];
      windows = new SlidingWindow[n];
      for (int i = 0; i < n; i++) {
        Distribution distribution = profile.distributions().get(names[i]);
        bucketers[i] = distribution.bucketer();
        expected[i] = distribution.expected();
        ordered[i] = distribution.ordered();
        windows[i] = new SlidingWindow(window, expected[i].length);
      }
      this.alarm = alarm;
      this.facts = new DriftFacts(alarm, Map.of(), Map.of());
    }
  }

  public DriftMonitor(
      ModelRegistry registry, EventLog log, Clock clock, IriScheme iris, DriftSettings settings) {
    this.registry = registry;
    this.log = log;
    this.clock = clock;
    this.iris = iris;
    this.settings = settings;
  }

  public DriftSettings settings() {
    return settings;
  }

  /** Loads the latest reference of each model version and the alarms still raised. */
  public synchronized void start(DriftRecords records) {
    Map<ModelVersionRef, String> open = records.openAlarms();
    records
        .latestReferences()
        .forEach(
            (model, stored) ->
                watches.put(
                    model,
                    new Watch(
                        stored.profile(),
                        stored.iri(),
                        Optional.ofNullable(open.get(model)),
                        settings.window())));
  }

  /**
   * Calls {@code listener} with every model version monitored now, and later with each one that
   * gets its first reference profile.
   */
  public synchronized void onWatched(java.util.function.Consumer<ModelVersionRef> listener) {
    watchedListeners.add(listener);
    watches.keySet().forEach(listener);
  }

  /** The model version's drift as last assessed; constant time, for intake. */
  public DriftFacts factsFor(ModelVersionRef model) {
    Watch watch = watches.get(model);
    return watch == null ? DriftFacts.NONE : watch.facts;
  }

  /** Adds a recorded decision's inputs and score to its model version's windows. */
  public void observe(Decision decision) {
    Watch watch = watches.get(decision.model());
    if (watch == null) {
      return;
    }
    Map<String, FeatureValue> input = decision.request().input();
    double score = decision.request().output().score();
    int[] buckets = new int[watch.names.length];
    for (int i = 0; i < buckets.length; i++) {
      Object value;
      if (watch.names[i].equals(DriftFacts.SCORE)) {
        value = score;
      } else {
        FeatureValue feature = input.get(watch.names[i]);
        value = feature == null ? null : feature.value();
      }
      buckets[i] = value == null ? -1 : watch.bucketers[i].bucket(value);
    }
    synchronized (watch) {
      for (int i = 0; i < buckets.length; i++) {
        if (buckets[i] >= 0) {
          watch.windows[i].add(buckets[i]);
        }
      }
    }
  }

  /**
   * Holds an uploaded reference profile until another person approves it ({@link #approve}): one
   * person alone cannot replace the reference, and so reset the windows, to keep a drift guardrail
   * from ever firing. A later upload replaces a pending one. Pending profiles are not recorded; a
   * restart forgets them (the author uploads again).
   *
   * @throws ProblemException {@code not-found} for a model version that is not registered
   */
  public ReferenceProfile.Pending propose(ReferenceProfile profile, String author) {
    ModelVersionRef model = profile.model();
    if (!registry.isRegistered(model)) {
      throw new ProblemException(
          ProblemType.NOT_FOUND,
          "Model " + model + " is not registered.",
          List.of(new FieldError("model", "no registered model version " + model)));
    }
    var proposal =
        new ReferenceProfile.Pending(
            profile,
            iris.driftReference(model.name(), model.version(), UUID.randomUUID().toString()),
            author,
            clock.instant());
    pending.put(model, proposal);
    return proposal;
  }

  /** The profile of a model version waiting for approval, if any. */
  public Optional<ReferenceProfile.Pending> pending(ModelVersionRef model) {
    return Optional.ofNullable(pending.get(model));
  }

  /**
   * Puts the pending profile {@code iri} in force: recorded, it replaces any earlier one, and its
   * windows start empty. An alarm already raised stays raised until the new windows clear it.
   *
   * <p>An alarm clears only once every monitored input's window has enough values and all are below
   * their clear thresholds: an input not yet seen again might be the one that drifted.
   *
   * @param iri the pending profile the approver saw: a profile uploaded since is not approved
   * @throws ProblemException {@code not-found} when nothing is pending, {@code state-conflict} when
   *     {@code iri} is not what is pending, {@code separation-of-duties} when the approver uploaded
   *     it
   * @return the profile as recorded, with its IRI
   */
  public synchronized DriftRecords.StoredReference approve(
      ModelVersionRef model, String iri, String approver) {
    ReferenceProfile.Pending proposal = pending.get(model);
    if (proposal == null) {
      throw new ProblemException(
          ProblemType.NOT_FOUND, "No reference profile of model " + model + " awaits approval.");
    }
    if (!proposal.iri().equals(iri)) {
      throw new ProblemException(
          ProblemType.STATE_CONFLICT,
          "The profile awaiting approval is " + proposal.iri() + ".",
          List.of(new FieldError("reference", "is not the profile awaiting approval")));
    }
    if (proposal.author().equals(approver)) {
      throw new ProblemException(
          ProblemType.SEPARATION_OF_DUTIES,
          "You uploaded this reference profile; another person must approve it.",
          List.of(new FieldError("reference", "was uploaded by the caller")));
    }
    ReferenceProfile profile = proposal.profile();
    if (!log.appendOrLog(
        new ReferenceProfile.Registered(
            profile, approver, clock.instant(), iri, proposal.author()))) {
      throw new ProblemException(
          ProblemType.STORE_UNAVAILABLE,
          "The reference profile could not be recorded; it is safe to retry.");
    }
    pending.remove(model, proposal);
    Watch old = watches.get(model);
    watches.put(
        model,
        new Watch(profile, iri, old == null ? Optional.empty() : old.alarm, settings.window()));
    if (old == null) {
      for (var listener : watchedListeners) {
        try {
          listener.accept(model);
        } catch (RuntimeException e) {
          // The profile is recorded and in force; an observer's failure must not say otherwise.
          LOG.log(Level.WARNING, "a drift observer failed for " + model, e);
        }
      }
    }
    return new DriftRecords.StoredReference(profile, iri);
  }

  /** The model version's recorded reference profile and its IRI, if it has one. */
  public Optional<DriftRecords.StoredReference> reference(ModelVersionRef model) {
    return Optional.ofNullable(watches.get(model))
        .map(w -> new DriftRecords.StoredReference(w.profile, w.referenceIri));
  }

  public Optional<DriftStatus> status(ModelVersionRef model) {
    return Optional.ofNullable(watches.get(model)).map(w -> status(model, w));
  }

  public List<DriftStatus> statuses() {
    return watches.entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<ModelVersionRef, Watch> e) -> e.getKey().name())
                .thenComparing(e -> e.getKey().version()))
        .map(e -> status(e.getKey(), e.getValue()))
        .toList();
  }

  /**
   * Assesses every monitored model version: computes the statistics of windows with enough values,
   * raises an alarm when one reaches its alarm threshold, clears a raised alarm when all are below
   * their clear thresholds, and publishes the facts intake reads next. An alarm's event is recorded
   * before it takes effect; if recording fails, nothing changes and the next assessment tries
   * again.
   *
   * @return the alarm events recorded
   */
  public synchronized List<DriftAlarm> assess() {
    List<DriftAlarm> recorded = new ArrayList<>();
    watches.forEach(
        (model, watch) -> {
          try {
            assess(model, watch).ifPresent(recorded::add);
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "drift assessment failed for " + model, e);
          }
        });
    return recorded;
  }

  private Optional<DriftAlarm> assess(ModelVersionRef model, Watch watch) {
    int n = watch.names.length;
    long[][] counts = new long[n][];
    int[] sizes = new int[n];
    synchronized (watch) {
      for (int i = 0; i < n; i++) {
        counts[i] = watch.windows[i].counts();
        sizes[i] = watch.windows[i].size();
      }
    }
    boolean alarmed = watch.alarm.isPresent();
    Map<String, Double> psi = new TreeMap<>();
    Map<String, Double> ks = new TreeMap<>();
    List<Measurement> measurements = new ArrayList<>();
    boolean raise = false;
    boolean clear = true;
    int assessed = 0;
    for (int i = 0; i < n; i++) {
      if (sizes[i] < settings.minSamples()) {
        continue;
      }
      assessed++;
      double p = DriftStatistics.psi(watch.expected[i], counts[i]);
      psi.put(watch.names[i], p);
      measurements.add(
          measure(
              watch.names[i],
              Statistic.PSI,
              p,
              sizes[i],
              alarmed,
              settings.psiAlarm(),
              settings.psiClear()));
      raise |= p >= settings.psiAlarm();
      clear &= p < settings.psiClear();
      if (watch.ordered[i]) {
        double d = DriftStatistics.ks(watch.expected[i], counts[i]);
        ks.put(watch.names[i], d);
        measurements.add(
            measure(
                watch.names[i],
                Statistic.KS,
                d,
                sizes[i],
                alarmed,
                settings.ksAlarm(),
                settings.ksClear()));
        raise |= d >= settings.ksAlarm();
        clear &= d < settings.ksClear();
      }
    }
    Instant now = clock.instant();
    Optional<DriftAlarm> event = Optional.empty();
    if (!alarmed && raise) {
      String id = UUID.randomUUID().toString();
      event =
          Optional.of(
              new DriftAlarm.Raised(
                  model, id, watch.referenceIri, measurements, now, iris.driftAlarm(id)));
    } else if (alarmed && assessed == n && clear) {
      String id = watch.alarm.get();
      event =
          Optional.of(new DriftAlarm.Cleared(model, id, measurements, now, iris.driftAlarm(id)));
    }
    if (event.isPresent()) {
      if (!log.appendOrLog(event.get())) {
        return Optional.empty();
      }
      DriftAlarm done = event.get();
      watch.alarm =
          done instanceof DriftAlarm.Raised ? Optional.of(done.alarmId()) : Optional.empty();
      LOG.info(() -> done.type() + " " + done.alarmId() + " for " + model);
    }
    watch.facts = new DriftFacts(watch.alarm, psi, ks);
    watch.assessedAt = Optional.of(now);
    return event;
  }

  private static Measurement measure(
      String feature,
      Statistic statistic,
      double value,
      long samples,
      boolean alarmed,
      double alarmAt,
      double clearAt) {
    return alarmed
        ? new Measurement(feature, statistic, value, samples, clearAt, value >= clearAt)
        : new Measurement(feature, statistic, value, samples, alarmAt, value >= alarmAt);
  }

  private static DriftStatus status(ModelVersionRef model, Watch watch) {
    DriftFacts facts = watch.facts;
    List<DriftStatus.Input> inputs = new ArrayList<>();
    synchronized (watch) {
      for (int i = 0; i < watch.names.length; i++) {
        String name = watch.names[i];
        inputs.add(
            new DriftStatus.Input(
                name,
                watch.windows[i].size(),
                optional(facts.psi().get(name)),
                optional(facts.ks().get(name)),
                Arrays.stream(watch.windows[i].counts()).boxed().toList()));
      }
    }
    return new DriftStatus(model, watch.referenceIri, watch.alarm, watch.assessedAt, inputs);
  }

  private static OptionalDouble optional(Double value) {
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }
}
