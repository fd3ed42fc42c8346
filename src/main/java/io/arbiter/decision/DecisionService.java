package io.arbiter.decision;

import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.event.Recorded;
import io.arbiter.policy.CompiledPolicy;
import io.arbiter.policy.DriftFacts;
import io.arbiter.policy.Evaluation;
import io.arbiter.policy.Facts;
import io.arbiter.policy.OutcomeVocabulary;
import io.arbiter.policy.PolicyCatalog;
import io.arbiter.policy.PolicyDocument;
import io.arbiter.policy.QaSampling;
import io.arbiter.policy.ReviewSettings;
import io.arbiter.policy.Route;
import io.arbiter.policy.UndeclaredInputs;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.ModelRegistry;
import io.arbiter.registry.ModelVersionRef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The decision use cases: submit (validate, route, record), find and list.
 *
 * <p>A submission is acknowledged only after its event is durable; if recording fails nothing is
 * kept and the caller gets {@code store-unavailable}. An Idempotency-Key makes a retry return the
 * first answer instead of recording a second decision.
 */
public final class DecisionService {

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(DecisionService.class.getName());

  private final ModelRegistry registry;
  private final PolicyCatalog policies;
  private final TenantGrants grants;
  private final EventLog log;
  private final DecisionIndex index;
  private final SubmissionHours hours = new SubmissionHours();
  private final DecisionRecords records;
  private final IriScheme iris;
  private final Clock clock;
  private volatile java.util.function.Supplier<Optional<String>> readiness = Optional::empty;
  private volatile IntakeAdmission admission = IntakeAdmission.unlimited();
  private volatile java.util.concurrent.Executor loader = Runnable::run;
  private volatile java.util.function.Function<ModelVersionRef, DriftFacts> drift =
      model -> DriftFacts.NONE;
  private volatile DecisionExtensions extensions = DecisionExtensions.NONE;
  private final List<java.util.function.Consumer<Decision>> recordedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<java.util.function.BiConsumer<DecisionSummary, Resolution>> resolvedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<java.util.function.LongConsumer> evaluatedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<DecisionId>> truthListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.Map<DecisionId, CompletableFuture<Resolution>> waiters =
      new java.util.concurrent.ConcurrentHashMap<>();

  public DecisionService(
      ModelRegistry registry,
      PolicyCatalog policies,
      TenantGrants grants,
      EventLog log,
      DecisionIndex index,
      DecisionRecords records,
      IriScheme iris,
      Clock clock) {
    this.registry = registry;
    this.policies = policies;
    this.grants = java.util.Objects.requireNonNull(grants, "grants");
    this.log = log;
    this.index = index;
    this.records = records;
    this.iris = iris;
    this.clock = clock;
  }

  /**
   * What intake asks before taking a decision: why Arbiter could not record or prove it now, if it
   * could not (the writer stopped, the ledger signer failing). Then intake refuses with {@code
   * not-ready} rather than accept what it cannot keep.
   */
  public void readiness(java.util.function.Supplier<Optional<String>> check) {
    this.readiness = check;
  }

  /** How many submissions may route and record at once ({@link IntakeAdmission}). */
  public void admission(IntakeAdmission gate) {
    this.admission = java.util.Objects.requireNonNull(gate, "gate");
  }

  /**
   * Where {@link #forEachPinned} reads pages of recorded decisions' pinned facts. Reading dominates
   * a backtest (tens of microseconds per decision against one to evaluate); an executor with
   * threads to spare reads the next pages while the caller works through the current one. The
   * default reads on the caller's thread.
   */
  public void loadWith(java.util.concurrent.Executor executor) {
    this.loader = executor;
  }

  /**
   * Where intake reads a model version's drift as last assessed. The lookup runs on every intake
   * and must take constant time: assessing drift happens elsewhere, off the request path.
   */
  public void driftFacts(java.util.function.Function<ModelVersionRef, DriftFacts> source) {
    this.drift = source;
  }

  /**
   * The ontology extensions intake resolves extension values by and checks decisions against. The
   * default refuses every extension value and checks nothing.
   */
  public void extensions(DecisionExtensions vocabulary) {
    this.extensions = java.util.Objects.requireNonNull(vocabulary, "vocabulary");
  }

  /**
   * Calls {@code listener} with every decision once it is recorded, before its submitter hears of
   * it. Listeners must be quick; one that throws is logged, since the decision is already durable.
   */
  public void onRecorded(java.util.function.Consumer<Decision> listener) {
    recordedListeners.add(listener);
  }

  /**
   * Calls {@code listener} with the time in nanoseconds each intake spent evaluating policies (the
   * active version and every shadow), whether or not the decision is then recorded. Listeners run
   * on the request thread and must be quick.
   */
  public void onEvaluated(java.util.function.LongConsumer listener) {
    evaluatedListeners.add(listener);
  }

  /**
   * Calls {@code listener} with every decision whose ground truth is recorded or corrected from now
   * on, once {@link #truthOf} answers with it.
   */
  public void onTruth(java.util.function.Consumer<DecisionId> listener) {
    truthListeners.add(listener);
  }

  /**
   * Calls {@code listener} with every decision settled from now on (not those settled before
   * start-up), after the settlement is recorded.
   */
  public void onResolved(java.util.function.BiConsumer<DecisionSummary, Resolution> listener) {
    resolvedListeners.add(listener);
  }

  /**
   * Notes how a pending decision was settled: lists and reads show it, waiting readers are
   * answered.
   *
   * @param announce whether this is news (a live settlement) rather than one rebuilt at start-up
   */
  public void resolve(DecisionId id, Resolution resolution, boolean announce) {
    index.resolve(id, resolution);
    CompletableFuture<Resolution> waiting = waiters.remove(id);
    if (waiting != null) {
      waiting.complete(resolution);
    }
    if (announce) {
      index
          .find(id)
          .ifPresent(
              summary -> {
                // The settlement is recorded; one failed notification must not stop the others.
                for (var listener : resolvedListeners) {
                  isolated(() -> listener.accept(summary, resolution), "a settlement listener");
                }
              });
    }
  }

  /** How humans settled the decision, if they have. */
  public Optional<Resolution> resolutionOf(DecisionId id) {
    return index.find(id).flatMap(DecisionSummary::resolution);
  }

  /**
   * Completes with the decision's resolution once it has one: at once when it is settled already,
   * never for an automated decision (callers bound the wait).
   */
  public CompletableFuture<Resolution> resolution(DecisionId id) {
    Optional<Resolution> now = index.find(id).flatMap(DecisionSummary::resolution);
    if (now.isPresent()) {
      return CompletableFuture.completedFuture(now.get());
    }
    CompletableFuture<Resolution> waiting =
        waiters.computeIfAbsent(id, key -> new CompletableFuture<>());
    // Settled between the look and the registration: answer now rather than wait in vain.
    index
        .find(id)
        .flatMap(DecisionSummary::resolution)
        .ifPresent(
            r -> {
              waiters.remove(id, waiting);
              waiting.complete(r);
            });
    return waiting.copy();
  }

  /**
   * Rebuilds the in-memory index from the graph and describes any submission hour the graph lacks
   * (see {@link SubmissionHours#repairs}); called once at start-up.
   *
   * @throws CompletionException when a missing hour cannot be written: start-up must not go on with
   *     decisions that windowed audit queries would not find
   */
  public void start() {
    java.util.Set<SubmissionHour> decided = new java.util.HashSet<>();
    records.forEachSummary(
        summary -> {
          index.add(summary);
          decided.add(SubmissionHour.of(summary.submittedAt()));
        });
    records.forEachTruth(index::learn);
    hours.described(records.describedHours());
    List<SubmissionHours.Unlinked> unlinked = new ArrayList<>();
    records.forEachUnlinked((iri, at) -> unlinked.add(new SubmissionHours.Unlinked(iri, at)));
    var repairs = hours.repairs(decided, unlinked);
    for (SubmissionHours.Repair repair : repairs) {
      log.append(
              new SubmissionHour.Indexed(
                  repair.hour(),
                  iris.hour(repair.hour().start()),
                  repair.decisionIris(),
                  clock.instant()))
          .toCompletableFuture()
          .join();
      hours.describedAtStart(repair.hour());
    }
    java.util.Map<SubmissionHour, Integer> counted = new java.util.HashMap<>();
    var tallies = records.talliedHours();
    tallies
        .keySet()
        .forEach(
            hour -> counted.put(hour, index.submittedBetween(hour.start(), hour.end()).size()));
    hours.tallied(tallies, counted);
    if (!repairs.isEmpty()) {
      LOG.info(
          () ->
              "Described "
                  + repairs.stream().map(SubmissionHours.Repair::hour).distinct().count()
                  + " submission hours the graph lacked and linked "
                  + unlinked.size()
                  + " decisions recorded before hours were indexed to theirs");
    }
  }

  /**
   * Records what the decision should have been, learnt later, or corrects it. Evidence is not
   * overwritten: a correction is recorded beside the truth it revises, and needs a reason.
   *
   * @param truth a first ground truth (revision 1)
   * @param correction why this corrects the decision's ground truth; empty for the first
   * @throws ProblemException {@code state-conflict} naming {@code reason} when the decision has its
   *     ground truth already and no reason is given; {@code invalid-request} naming {@code reason}
   *     when a reason is given and there is nothing to correct, or naming {@code observedAt} when a
   *     correction was observed before the truth it corrects
   */
  public synchronized GroundTruth recordTruth(
      DecisionSummary decision, GroundTruth truth, Optional<String> correction) {
    Optional<GroundTruth> previous = index.find(decision.id()).flatMap(DecisionSummary::truth);
    if (previous.isPresent() && correction.isEmpty()) {
      throw new ProblemException(
          ProblemType.STATE_CONFLICT,
          "Decision " + decision.id() + " has its outcome recorded already; it is not replaced.",
          List.of(
              new FieldError(
                  "reason",
                  "required to correct the outcome recorded at "
                      + previous.get().recordedAt()
                      + " (revision "
                      + previous.get().revision()
                      + ")")));
    }
    if (previous.isEmpty() && correction.isPresent()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "Decision " + decision.id() + " has no outcome to correct.",
          List.of(new FieldError("reason", "only a correction gives a reason")));
    }
    if (previous.isPresent()) {
      // A revision is generated after what it revises (PROV's derivation ordering).
      if (truth.observedAt().isBefore(previous.get().observedAt())) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST,
            "A correction cannot have been observed before the outcome it corrects.",
            List.of(
                new FieldError(
                    "observedAt",
                    "must not precede "
                        + previous.get().observedAt()
                        + ", when the outcome it corrects was observed")));
      }
      truth = truth.correcting(previous.get(), correction.get());
    }
    try {
      log.append(
              new GroundTruth.Recorded(decision.id(), iris.decision(decision.id().value()), truth))
          .toCompletableFuture()
          .join();
    } catch (CompletionException e) {
      throw new ProblemException(
          ProblemType.STORE_UNAVAILABLE,
          "The outcome could not be recorded and was not kept; it is safe to retry.");
    }
    index.learn(decision.id(), truth);
    // The truth is recorded; one failed notification must not stop the others.
    for (var listener : truthListeners) {
      isolated(() -> listener.accept(decision.id()), "a ground-truth listener");
    }
    return truth;
  }

  /**
   * The outcomes of the policy version that routed the decision (versions are immutable, so these
   * are its outcomes then); approve/reject when none did.
   */
  public OutcomeVocabulary vocabularyOf(DecisionSummary decision) {
    return decision
        .policy()
        .flatMap(p -> policies.version(p.id(), p.version()))
        .map(v -> v.document().vocabulary())
        .orElse(OutcomeVocabulary.DEFAULT);
  }

  /**
   * The route of this name, if a decision can have it: review, or an outcome of the vocabulary of
   * some policy version registered (approve and reject always).
   */
  public Optional<Route> route(String name) {
    return Route.fromWireName(name)
        .filter(
            route ->
                !route.automated()
                    || OutcomeVocabulary.DEFAULT.contains(name)
                    || policies.list().stream()
                        .anyMatch(v -> v.document().vocabulary().contains(name)));
  }

  /** The decision's ground truth, once recorded. */
  public Optional<GroundTruth> truthOf(DecisionId id) {
    return index.find(id).flatMap(DecisionSummary::truth);
  }

  /**
   * Routes and records a decision.
   *
   * @param idempotency the client's key with the digest of its request body, if a key was sent
   * @throws ProblemException {@code tenant-not-granted} when the request names a tenant the
   *     submitter is not granted; then nothing is recorded and the idempotency key stays unused
   */
  public Submission submit(
      DecisionRequest request, String submitter, Optional<Decision.Idempotency> idempotency) {
    // First: a tenant the caller may not name must not select a policy, claim a key or be written.
    grants.check(submitter, request.tenant());
    readiness
        .get()
        .ifPresent(
            why -> {
              throw new ProblemException(
                  ProblemType.NOT_READY,
                  "Decisions cannot be taken now (" + why + "); nothing was kept, retry later.");
            });
    try (IntakeAdmission.Slot slot =
        admission
            .enter()
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.NOT_READY,
                        "Decisions cannot be taken now (the graph store is catching up with the"
                            + " journal); nothing was kept, retry later."))) {
      return admitted(request, submitter, idempotency, slot);
    }
  }

  /** {@link #submit}, holding an intake slot until the decision's record is prepared. */
  private Submission admitted(
      DecisionRequest request,
      String submitter,
      Optional<Decision.Idempotency> idempotency,
      IntakeAdmission.Slot slot) {
    Optional<CompiledPolicy> policy = policies.forModel(request.model().name(), request.tenant());
    policy.ifPresent(p -> rejectWrongInputTypes(p, request));
    // Inputs no condition can read are not kept: refused or dropped, as the policy says.
    List<String> undeclared =
        policy.map(p -> p.document().undeclared(request.input().keySet())).orElse(List.of());
    policy.ifPresent(p -> refuseUndeclaredInputs(p.document(), undeclared));
    List<String> warnings =
        policy.map(p -> droppedWarnings(p.document(), undeclared)).orElse(List.of());
    DecisionRequest kept = request.withoutInputs(undeclared);
    DecisionExtensions vocabulary = extensions;
    List<ExtensionValue> extensionValues = vocabulary.resolve(request.extensions());
    if (idempotency.isPresent()) {
      var claimed =
          index.claim(submitter, idempotency.get().key(), idempotency.get().requestDigest());
      if (claimed.isPresent()) {
        slot.close(); // waiting for the first attempt needs no core
        DecisionId earlier = await(claimed.get()).id();
        return new Submission(find(earlier).orElseThrow(), true, warnings);
      }
    }
    try {
      RecordedDecision recorded =
          record(kept, submitter, idempotency, policy, vocabulary, extensionValues, slot);
      idempotency.ifPresent(
          i ->
              index.settle(submitter, i.key(), index.find(recorded.decision().id()).orElseThrow()));
      return new Submission(recorded, false, warnings);
    } catch (RuntimeException | Error e) {
      // Whatever failed, a retry with the same key must not wait for this attempt forever.
      idempotency.ifPresent(i -> index.release(submitter, i.key(), e));
      throw e;
    }
  }

  /**
   * The decision as its bundle records it, read by the bundle's name from the index's summary: no
   * query (a summary query per view cost two thirds of a task view's time at 100,000 decisions);
   * one the graph store does not hold yet (the projection lags the journal) is read from its
   * journal record, so it answers at once after it is taken.
   */
  public Optional<RecordedDecision> find(DecisionId id) {
    return index.find(id).flatMap(records::load);
  }

  /** The decision's summary, as the index holds it now (resolution and ground truth included). */
  public Optional<DecisionSummary> summary(DecisionId id) {
    return index.find(id);
  }

  /**
   * The decision's summary if the caller may see it: everyone with {@code readsAll} sees every
   * decision, others only the ones they submitted; a caller bound to tenants ({@link
   * TenantGrants#scopeOf}) only those of its tenants, whatever its roles. Unknown and hidden look
   * the same to callers.
   */
  public Optional<DecisionSummary> visibleTo(DecisionId id, String caller, boolean readsAll) {
    TenantScope scope = grants.scopeOf(caller);
    return index
        .find(id)
        .filter(s -> readsAll || s.submittedBy().equals(caller))
        .filter(scope::sees);
  }

  /** Whose data {@code caller} reads, from the tenant grants. */
  public TenantScope scopeOf(String caller) {
    return grants.scopeOf(caller);
  }

  /**
   * {@link #visibleTo} for an identifier from a request.
   *
   * @throws ProblemException {@code not-found} when the text is no decision id, or the decision is
   *     unknown or not visible to the caller
   */
  public DecisionSummary requireVisible(String rawId, String caller, boolean readsAll) {
    return DecisionId.parse(rawId)
        .flatMap(id -> visibleTo(id, caller, readsAll))
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.NOT_FOUND, "No decision " + rawId + " is visible to you."));
  }

  public Page<DecisionSummary> list(DecisionQuery query) {
    return index.list(query);
  }

  /** {@link #list(DecisionQuery)} of the decisions visible in {@code scope}. */
  public Page<DecisionSummary> list(DecisionQuery query, TenantScope scope) {
    return scope.global() ? index.list(query) : index.list(query, scope::sees);
  }

  private RecordedDecision record(
      DecisionRequest request,
      String submitter,
      Optional<Decision.Idempotency> idempotency,
      Optional<CompiledPolicy> policy,
      DecisionExtensions vocabulary,
      List<ExtensionValue> extensionValues,
      IntakeAdmission.Slot slot) {
    var submittedAt = clock.instant();
    // An unregistered version, or one awaiting a required approval, is recorded and fails safe to
    // humans: nothing it says is automated. Both are pinned, so replay answers as intake did.
    Facts facts =
        request
            .facts()
            .withDrift(drift.apply(request.model()))
            .withModelRegistered(registry.isRegistered(request.model()))
            .withModelUnapproved(registry.awaitsApproval(request.model()));
    long evaluationStarted = System.nanoTime();
    Evaluation evaluation = evaluate(policy, facts);
    DecisionId id = DecisionId.next(submittedAt);
    List<ShadowEvaluation> shadows =
        policies.shadowsFor(request.model().name(), request.tenant()).stream()
            .map(
                shadow ->
                    new ShadowEvaluation(
                        new PolicyRef(shadow.id(), shadow.version()), shadow.evaluate(facts)))
            .toList();
    long evaluationNanos = System.nanoTime() - evaluationStarted;
    for (var listener : evaluatedListeners) {
      isolated(() -> listener.accept(evaluationNanos), "an evaluation listener");
    }
    Decision decision =
        new Decision(
            id,
            request,
            facts.drift(),
            submitter,
            submittedAt,
            idempotency,
            policy.map(p -> new PolicyRef(p.id(), p.version())),
            evaluation,
            shadows,
            qaSampled(policy, evaluation, id),
            facts.modelRegistered(),
            facts.modelUnapproved(),
            extensionValues,
            policy
                .map(p -> p.document().vocabulary())
                .orElse(OutcomeVocabulary.DEFAULT)
                .recommendation(request.output().label()));
    // Before anything is written: a decision that breaks an extension's shape is not recorded.
    vocabulary.check(decision);
    SubmissionHour hour = SubmissionHour.of(submittedAt);
    describeHour(hour);
    Recorded recorded;
    try {
      var appended =
          log.append(new Decision.Submitted(decision, iris.decision(decision.id().value())));
      slot.close(); // the record is prepared: waiting for the journal's force needs no core
      recorded = appended.toCompletableFuture().join();
    } catch (CompletionException e) {
      throw notRecorded();
    }
    index.add(
        DecisionSummary.of(
            decision,
            recorded.sequence(),
            recorded.bundleIri(),
            java.time.Duration.between(submittedAt, clock.instant())));
    if (hours.kept(hour)) {
      LOG.warning(
          () ->
              "Decision "
                  + id.value()
                  + " was kept after its hour had been tallied (a clock set back, or a write"
                  + " slower than the grace period); the hour will be tallied again");
    }
    for (var listener : recordedListeners) {
      // The decision is durable: an observer's failure must not turn its receipt into an error.
      isolated(() -> listener.accept(decision), "a decision listener");
    }
    return new RecordedDecision(decision, recorded.sequence(), recorded.bundleIri());
  }

  /**
   * Tallies each hour that is over (by {@link SubmissionHours#TALLY_GRACE}) and not tallied yet,
   * and again each whose tally a late decision made short; run periodically. Counts come from the
   * in-memory index, which holds exactly the decisions the graph does.
   *
   * @return how many tallies were written; one that cannot be is logged, and due again next run
   */
  public int tallyClosedHours() {
    int written = 0;
    for (SubmissionHour hour : hours.toTally(clock.instant())) {
      int revision = hours.claimTally(hour);
      var cells = SubmissionHours.cells(index.submittedBetween(hour.start(), hour.end()));
      boolean recorded =
          log.appendOrLog(
              new SubmissionHour.Tallied(
                  hour, iris.hourTally(hour.start(), revision), revision, cells, clock.instant()));
      if (recorded) {
        written++;
      } else {
        hours.releaseTally(hour, revision);
      }
    }
    return written;
  }

  /**
   * Before any decision of an hour: the hour's description, which windowed queries need. The first
   * decision of the hour writes it; others of the hour wait for it, so none is recorded before it.
   */
  private void describeHour(SubmissionHour hour) {
    var written = hours.claim(hour);
    try {
      if (written.isPresent()) {
        written.get().join();
        return;
      }
      log.append(
              new SubmissionHour.Indexed(hour, iris.hour(hour.start()), List.of(), clock.instant()))
          .toCompletableFuture()
          .join();
      hours.describedOk(hour);
    } catch (CompletionException e) {
      if (written.isEmpty()) {
        hours.describedFailed(hour, e);
      }
      throw notRecorded();
    }
  }

  private static ProblemException notRecorded() {
    return new ProblemException(
        ProblemType.STORE_UNAVAILABLE,
        "The decision could not be recorded and was not accepted; it is safe to retry.");
  }

  private static void isolated(Runnable call, String what) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(java.util.logging.Level.WARNING, what + " failed", e);
    }
  }

  /**
   * Routes a request by a policy version, or fails safe to human review when none governs its
   * model. Pure: replay and backtest call it to reach the answer intake reached.
   */
  public static Evaluation evaluate(Optional<CompiledPolicy> policy, Facts facts) {
    return policy
        .map(p -> p.evaluate(facts))
        .orElseGet(
            () ->
                Evaluation.failSafe(
                    ReviewSettings.FAIL_SAFE,
                    Optional.empty(),
                    List.of(),
                    "no policy governs model " + facts.modelName()));
  }

  /**
   * Every decision the query selects, newest first, page by page, so a long history never sits in
   * memory at once. The query's cursor and limit are ignored.
   */
  public void forEachSummary(
      DecisionQuery query, java.util.function.Consumer<DecisionSummary> sink) {
    Optional<PageCursor> after = Optional.empty();
    do {
      Page<DecisionSummary> page = index.list(query.page(after, DecisionQuery.MAX_LIMIT));
      page.items().forEach(sink);
      after = page.next();
    } while (after.isPresent());
  }

  /**
   * The pinned facts of every decision the query selects and {@code include} accepts (tested on the
   * summary, before anything is read), newest first, a page at a time (what a backtest evaluates;
   * not the whole decision, whose reading would dominate): pages are read through {@link
   * #loadWith}'s executor, at most {@link #PAGES_AHEAD} ahead of the page the sink is given, so
   * memory stays bounded however long the history; the sink is called on this thread, in order.
   */
  public void forEachPinned(
      DecisionQuery query,
      java.util.function.Predicate<DecisionSummary> include,
      java.util.function.Consumer<PinnedFacts> sink) {
    java.util.Deque<CompletableFuture<List<PinnedFacts>>> reading = new java.util.ArrayDeque<>();
    try {
      readAhead(query, include, sink, reading);
    } finally {
      // On a failure, stop the pages still being read: nobody will take them.
      reading.forEach(page -> page.cancel(false));
    }
  }

  private void readAhead(
      DecisionQuery query,
      java.util.function.Predicate<DecisionSummary> include,
      java.util.function.Consumer<PinnedFacts> sink,
      java.util.Deque<CompletableFuture<List<PinnedFacts>>> reading) {
    List<List<DecisionSummary>> filling = new java.util.ArrayList<>(1);
    filling.add(new java.util.ArrayList<>(DecisionQuery.MAX_LIMIT));
    forEachSummary(
        query,
        summary -> {
          if (!include.test(summary)) {
            return;
          }
          List<DecisionSummary> page = filling.get(0);
          page.add(summary);
          if (page.size() == DecisionQuery.MAX_LIMIT) {
            reading.add(read(page));
            filling.set(0, new java.util.ArrayList<>(DecisionQuery.MAX_LIMIT));
            if (reading.size() > PAGES_AHEAD) {
              deliver(reading.poll(), sink);
            }
          }
        });
    if (!filling.get(0).isEmpty()) {
      reading.add(read(filling.get(0)));
    }
    while (!reading.isEmpty()) {
      deliver(reading.poll(), sink);
    }
  }

  /** Pages read ahead of the one being handed over. */
  static final int PAGES_AHEAD = 2;

  private CompletableFuture<List<PinnedFacts>> read(List<DecisionSummary> page) {
    return CompletableFuture.supplyAsync(
        () -> {
          List<PinnedFacts> decisions = new java.util.ArrayList<>(page.size());
          records.loadPinned(page, decisions::add);
          return decisions;
        },
        loader);
  }

  private static void deliver(
      CompletableFuture<List<PinnedFacts>> page, java.util.function.Consumer<PinnedFacts> sink) {
    List<PinnedFacts> decisions;
    try {
      decisions = page.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    decisions.forEach(sink);
  }

  /**
   * Those of {@code summaries} whose context matches, in their order. Contexts are not kept in
   * memory (they are free-form and may be large), so each decision's pinned facts are read from the
   * graph store, a page at a time, as a backtest reads them: it costs what a backtest of the same
   * decisions costs, and a decision the projection does not hold yet is left out.
   */
  public List<DecisionSummary> withContext(List<DecisionSummary> summaries, ContextMatch match) {
    java.util.Set<DecisionId> matching = new java.util.HashSet<>();
    for (int start = 0; start < summaries.size(); start += DecisionQuery.MAX_LIMIT) {
      List<DecisionSummary> page =
          summaries.subList(start, Math.min(summaries.size(), start + DecisionQuery.MAX_LIMIT));
      records.loadContexts(
          page,
          (summary, context) -> {
            if (match.matches(context)) {
              matching.add(summary.id());
            }
          });
    }
    return summaries.stream().filter(s -> matching.contains(s.id())).toList();
  }

  /**
   * The decisions the query selects that {@code include} accepts and, when {@code context} is
   * given, whose context matches it, newest first: {@link #forEachSummary} with {@link
   * #withContext} applied a page of {@link DecisionQuery#MAX_LIMIT} at a time, so a streamed answer
   * holds one page of summaries, never the window's. A decision the projection does not hold yet
   * has no context, so it is left out under a context match.
   */
  public void forEachSummary(
      DecisionQuery query,
      java.util.function.Predicate<DecisionSummary> include,
      Optional<ContextMatch> context,
      java.util.function.Consumer<DecisionSummary> sink) {
    if (context.isEmpty()) {
      forEachSummary(
          query,
          summary -> {
            if (include.test(summary)) {
              sink.accept(summary);
            }
          });
      return;
    }
    List<DecisionSummary> page = new java.util.ArrayList<>(DecisionQuery.MAX_LIMIT);
    forEachSummary(
        query,
        summary -> {
          if (!include.test(summary)) {
            return;
          }
          page.add(summary);
          if (page.size() == DecisionQuery.MAX_LIMIT) {
            withContext(page, context.get()).forEach(sink);
            page.clear();
          }
        });
    withContext(page, context.get()).forEach(sink);
  }

  /** The decision as recorded, for a summary from {@link #forEachSummary}. */
  public Optional<RecordedDecision> load(DecisionSummary summary) {
    return records.load(summary);
  }

  /**
   * Whether an automated decision also goes to post-hoc QA review: a pure function of the policy
   * version, the route and the decision id, so replay reaches the same answer.
   */
  public static boolean qaSampled(
      Optional<CompiledPolicy> policy, Evaluation evaluation, DecisionId id) {
    return evaluation.route().automated()
        && policy.map(p -> QaSampling.sampled(p.document().qaSampling(), id.value())).orElse(false);
  }

  /** Under {@code undeclaredInputs: refuse}, a request with undeclared inputs is refused. */
  private static void refuseUndeclaredInputs(PolicyDocument document, List<String> undeclared) {
    if (document.undeclaredInputs() != UndeclaredInputs.REFUSE) {
      return;
    }
    throw new ProblemException(
        ProblemType.INVALID_REQUEST,
        "The request carries inputs the policy does not declare.",
        undeclared.stream()
            .map(
                name ->
                    new FieldError(
                        "input." + name,
                        "not declared by policy "
                            + document.id()
                            + " version "
                            + document.version()
                            + ", which refuses undeclared inputs"))
            .toList());
  }

  private static List<String> droppedWarnings(PolicyDocument document, List<String> undeclared) {
    return undeclared.stream()
        .map(
            name ->
                "input."
                    + name
                    + " is not declared by policy "
                    + document.id()
                    + " version "
                    + document.version()
                    + " and was not recorded")
        .toList();
  }

  private static void rejectWrongInputTypes(CompiledPolicy policy, DecisionRequest request) {
    var wrong = policy.inputTypeErrors(request.inputValues());
    if (!wrong.isEmpty()) {
      List<FieldError> errors =
          wrong.entrySet().stream()
              .map(e -> new FieldError("input." + e.getKey(), e.getValue()))
              .toList();
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "Inputs do not have the types the policy declares.", errors);
    }
  }

  private static DecisionSummary await(CompletableFuture<DecisionSummary> earlier) {
    try {
      return earlier.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ProblemException problem) {
        throw problem;
      }
      throw new ProblemException(
          ProblemType.STORE_UNAVAILABLE,
          "An earlier request with this Idempotency-Key failed and recorded nothing; retry it.");
    }
  }
}
