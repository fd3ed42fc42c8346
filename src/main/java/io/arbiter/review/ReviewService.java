package io.arbiter.review;

import io.arbiter.decision.ContextMatch;
import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionScope;
import io.arbiter.decision.DecisionService;
import io.arbiter.decision.Resolution;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.DefaultRoute;
import io.arbiter.policy.OutcomeVocabulary;
import io.arbiter.policy.PolicyCatalog;
import io.arbiter.policy.PolicyDocument;
import io.arbiter.policy.PolicyRule;
import io.arbiter.policy.ReasonCode;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.ModelRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Review tasks: created with the decisions the policy escalates (or QA samples), worked by
 * reviewers through claims and verdicts, settled by agreement, a lead's ruling or the SLA's
 * fail-safe.
 *
 * <p>Every step is checked, recorded (and durable) and only then applied, under the task's own
 * lock: two reviewers racing for the last slot of a task cannot both get it, and a step that could
 * not be recorded changes nothing. Separation of duties is enforced here, whatever the caller's
 * roles: the decision's submitter never reviews it, nobody gives two of its verdicts, and nobody
 * rules on a disagreement they are part of.
 */
public final class ReviewService {

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(ReviewService.class.getName());

  private static final Pattern REASON_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final int SIMILAR_CASES = 5;

  private final ReviewRecords records;
  private final DecisionService decisions;
  private final EventLog log;
  private final IriScheme iris;
  private final PolicyCatalog policies;
  private final ReviewQueues queues;
  private final Clock clock;
  private final Map<String, ReviewTask> tasks = new ConcurrentHashMap<>();
  private final AliasSecret aliasSecret;

  /**
   * Each open task's aliases, drawn once (its rules and id never change); a settled task's are
   * dropped and drawn again if it is viewed, so the map holds no more than the open tasks.
   */
  private final Map<String, RuleAliases> aliasesByTask = new ConcurrentHashMap<>();

  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /** Ids of tasks not yet settled or timed out: what queues and the sweep look at. */
  private final java.util.Set<String> unfinished = ConcurrentHashMap.newKeySet();

  /** The latest settled escalations per rule (one more than a view shows: the viewed task). */
  private final SimilarCases similar = new SimilarCases(SIMILAR_CASES + 1);

  /** Told of every task opened and every step recorded (the reviewers' event streams). */
  private final List<Consumer<ReviewTask>> changeListeners = new CopyOnWriteArrayList<>();

  /** The review figures per hour and day of creation, kept until a task of theirs changes. */
  private final HourlyReviewTallies hours;

  public ReviewService(
      ReviewRecords records,
      DecisionService decisions,
      EventLog log,
      IriScheme iris,
      PolicyCatalog policies,
      ReviewQueues queues,
      Clock clock,
      AliasSecret aliasSecret) {
    this.records = records;
    this.decisions = decisions;
    this.log = log;
    this.iris = iris;
    this.policies = policies;
    this.queues = queues;
    this.clock = clock;
    this.aliasSecret = aliasSecret;
    this.hours = new HourlyReviewTallies(tasks::get, this::truthOf);
  }

  /**
   * What the decision should have been, where its outcome is known: what verdicts are judged by.
   */
  private Optional<io.arbiter.policy.Route> truthOf(io.arbiter.decision.DecisionId decision) {
    return decisions.truthOf(decision).map(io.arbiter.decision.GroundTruth::correct);
  }

  /**
   * Rebuilds every task from the graph and from then on opens the tasks of new decisions; called
   * once at start-up, after the decisions' own start.
   */
  public void start() {
    // Listening before the rebuild: a decision recorded meanwhile is opened by one or the other.
    decisions.onRecorded(this::assign);
    // A verdict's accuracy changes with its decision's outcome: the hour's figures are counted
    // anew.
    decisions.onTruth(
        decision ->
            java.util.stream.Stream.of(decision.value(), ReviewAssignment.qaTaskId(decision))
                .map(tasks::get)
                .filter(java.util.Objects::nonNull)
                .forEach(hours::changed));
    records.forEachAssignment(a -> tasks.putIfAbsent(a.taskId(), ReviewTask.open(a)));
    records.forEachEvent(
        event -> tasks.computeIfPresent(event.taskId(), (id, task) -> task.apply(event)));
    for (ReviewTask task : tasks.values()) {
      if (!task.state().finished()) {
        unfinished.add(task.id());
      }
      hours.changed(task);
      similar.settled(task);
      resolution(task).ifPresent(r -> decisions.resolve(task.assignment().decision(), r, false));
    }
  }

  /**
   * What a finished escalation makes of its decision; QA reviews change nothing, so they have none.
   */
  static Optional<Resolution> resolution(ReviewTask task) {
    if (task.assignment().kind() != TaskKind.ESCALATION) {
      return Optional.empty();
    }
    return task.settlement()
        .map(
            s ->
                new Resolution(
                    s.outcome().route(),
                    s.basis().wireName(),
                    s.at(),
                    s.overridesRecommendation()));
  }

  /** Opens the task a newly recorded decision creates, if any (its bundle already holds it). */
  private void assign(Decision decision) {
    ReviewAssignment.of(decision)
        .ifPresent(
            a -> {
              ReviewTask opened = ReviewTask.open(a);
              if (tasks.putIfAbsent(a.taskId(), opened) == null) {
                unfinished.add(a.taskId());
                changed(opened);
              }
            });
  }

  /**
   * Tells {@code listener} of every task opened from now on and of every step recorded on one, once
   * it is durable; on the thread that recorded it, so a listener must be quick and not fail.
   */
  public void onChanged(Consumer<ReviewTask> listener) {
    changeListeners.add(listener);
  }

  private void changed(ReviewTask task) {
    hours.changed(task);
    for (var listener : changeListeners) {
      try {
        listener.accept(task);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a listener of task " + task.id() + " failed", e);
      }
    }
  }

  /** Whether the caller may see the task at all: as the list, the view and the steps decide. */
  public boolean isVisibleTo(ReviewTask task, Caller caller) {
    return visible(task, caller);
  }

  /**
   * As {@link #isVisibleTo(ReviewTask, Caller)} with the caller's tenant scope taken earlier (see
   * {@link #scopeOf}), for checks made away from the caller's request.
   */
  public boolean isVisibleTo(
      ReviewTask task, Caller caller, io.arbiter.decision.TenantScope scope) {
    return inScope(task, scope) && allowed(task, caller);
  }

  /** Whose tasks {@code caller} sees, as the request it is serving says now. */
  public io.arbiter.decision.TenantScope scopeOf(Caller caller) {
    return decisions.scopeOf(caller.name());
  }

  public ReviewQueues queues() {
    return queues;
  }

  /** Depth and oldest creation time of one queue's unfinished tasks. */
  public record QueueLoad(int depth, Optional<Instant> oldest) {}

  /** Load of {@code queue} now (unfinished tasks, awaiting rulings included). */
  public QueueLoad load(String queue) {
    int depth = 0;
    Instant oldest = null;
    for (String id : unfinished) {
      ReviewTask task = tasks.get(id);
      if (task != null && task.queue().equals(queue)) {
        depth++;
        Instant created = task.assignment().createdAt();
        oldest = oldest == null || created.isBefore(oldest) ? created : oldest;
      }
    }
    return new QueueLoad(depth, Optional.ofNullable(oldest));
  }

  /** Every queue an unfinished task is in now. */
  public java.util.Set<String> activeQueues() {
    java.util.Set<String> queues = new java.util.TreeSet<>();
    unfinished.forEach(
        id -> Optional.ofNullable(tasks.get(id)).ifPresent(t -> queues.add(t.queue())));
    return queues;
  }

  /** The tasks the caller may see that the filter selects, in work order, one page. */
  public ReviewPage list(ReviewFilter filter, Caller caller) {
    Instant now = clock.instant();
    // Open work is looked up among unfinished tasks only, so history does not slow the queues: a
    // live claim (mine) and an overdue SLA are only ever on unfinished tasks too.
    boolean onlyUnfinished =
        filter.state().map(state -> !state.finished()).orElse(false)
            || filter.mine()
            || filter.overdue().orElse(false);
    var candidates =
        onlyUnfinished
            ? unfinished.stream().map(tasks::get).filter(java.util.Objects::nonNull)
            : tasks.values().stream();
    // The scope once per list, not per task: a token's claim is read from the request each time.
    io.arbiter.decision.TenantScope scope = scopeOf(caller);
    List<ReviewTask> selected =
        candidates
            .filter(task -> isVisibleTo(task, caller, scope))
            .filter(task -> filter.queue().map(q -> q.equals(task.queue())).orElse(true))
            .filter(task -> filter.state().map(s -> s == task.state()).orElse(true))
            .filter(task -> filter.overdue().map(o -> o == task.overdue(now)).orElse(true))
            .filter(task -> !filter.mine() || task.liveClaim(caller.name(), now).isPresent())
            .filter(task -> filter.after().map(c -> c.precedes(task)).orElse(true))
            .collect(firstInOrder(filter.limit() + 1));
    boolean more = selected.size() > filter.limit();
    List<ReviewTask> page = more ? selected.subList(0, filter.limit()) : selected;
    return new ReviewPage(
        page, more ? Optional.of(ReviewCursor.after(page.get(page.size() - 1))) : Optional.empty());
  }

  /**
   * The first {@code n} tasks in work order, kept in a heap of {@code n} as they stream by: a page
   * of the whole history costs a pass over it, not a sort of it.
   */
  private static java.util.stream.Collector<ReviewTask, ?, List<ReviewTask>> firstInOrder(int n) {
    return java.util.stream.Collector.of(
        () -> new java.util.PriorityQueue<ReviewTask>(ReviewCursor.ORDER.reversed()),
        (heap, task) -> {
          if (heap.size() < n) {
            heap.add(task);
          } else if (ReviewCursor.ORDER.compare(task, heap.peek()) < 0) {
            // Only a task before the heap's last in work order enters it: most of a long history
            // costs one comparison, not a heap's insertion and removal.
            heap.poll();
            heap.add(task);
          }
        },
        (a, b) -> {
          b.forEach(a::add);
          while (a.size() > n) {
            a.poll();
          }
          return a;
        },
        heap -> heap.stream().sorted(ReviewCursor.ORDER).toList());
  }

  /**
   * A task the caller may see.
   *
   * @throws ProblemException {@code not-found} when there is none, or the caller may not see it
   */
  public ReviewTask require(String taskId, Caller caller) {
    return Optional.ofNullable(tasks.get(taskId))
        .filter(task -> visible(task, caller))
        .orElseThrow(() -> notFound(taskId));
  }

  /**
   * Review quality over the tasks created in {@code [from, to)} for decisions in {@code scope},
   * measured against the outcomes recorded for their decisions.
   */
  public ReviewMetrics metrics(Instant from, Instant to, DecisionScope scope) {
    return metrics(from, to, scope, io.arbiter.decision.TenantScope.GLOBAL, Optional.empty());
  }

  /**
   * {@link #metrics(Instant, Instant, DecisionScope)} of the tasks within {@code tenants} whose
   * decision's context also matches {@code context}: the contexts of the window's tasks' decisions
   * are read from the graph store ({@link io.arbiter.decision.DecisionService#withContext}), never
   * those of older tasks.
   */
  public ReviewMetrics metrics(
      Instant from,
      Instant to,
      DecisionScope scope,
      io.arbiter.decision.TenantScope tenants,
      Optional<ContextMatch> context) {
    if (scope.equals(DecisionScope.ALL) && tenants.global() && context.isEmpty()) {
      return hours.metrics(from, to, clock.instant());
    }
    java.util.Collection<ReviewTask> scoped =
        tasks.values().stream()
            .filter(t -> ReviewMetrics.createdWithin(t, from, to))
            .filter(
                t ->
                    decisions
                        .summary(t.assignment().decision())
                        .filter(scope::contains)
                        .filter(tenants::sees)
                        .isPresent())
            .toList();
    if (context.isPresent()) {
      List<io.arbiter.decision.DecisionSummary> about =
          scoped.stream()
              .map(t -> decisions.summary(t.assignment().decision()).orElseThrow())
              .distinct()
              .toList();
      java.util.Set<io.arbiter.decision.DecisionId> matching =
          decisions.withContext(about, context.get()).stream()
              .map(io.arbiter.decision.DecisionSummary::id)
              .collect(java.util.stream.Collectors.toSet());
      scoped = scoped.stream().filter(t -> matching.contains(t.assignment().decision())).toList();
    }
    return ReviewMetrics.of(from, to, scoped, this::truthOf, clock.instant());
  }

  /**
   * Settled escalations of the same rule as {@code task} (so of the same model and policy version),
   * newest first: what reviewers decided on cases like this one, for the reviewer's reference. Read
   * from memory, kept as tasks settle: a detail view never reads the history.
   */
  public List<SimilarCase> similar(ReviewTask task, Caller caller) {
    // A policy may route several tenants' decisions: a bound caller sees only its tenants' cases.
    io.arbiter.decision.TenantScope scope = scopeOf(caller);
    List<SimilarCase> cases = new ArrayList<>();
    for (String id : similar.like(task, SIMILAR_CASES)) {
      ReviewTask settled = tasks.get(id);
      Optional<io.arbiter.decision.DecisionSummary> decision =
          decisions.summary(settled.assignment().decision()).filter(scope::sees);
      decision.ifPresent(d -> cases.add(similarCase(settled, d)));
    }
    return cases;
  }

  private static SimilarCase similarCase(
      ReviewTask task, io.arbiter.decision.DecisionSummary decision) {
    Settlement settlement = task.settlement().orElseThrow();
    // The code of the step that settled it: the lead's ruling, or the last (agreeing) verdict.
    Optional<String> reasonCode =
        switch (settlement.basis()) {
          case ADJUDICATION -> task.ruling().map(Verdict::reasonCode);
          case CONSENSUS ->
              task.verdicts().isEmpty()
                  ? Optional.empty()
                  : Optional.of(task.verdicts().get(task.verdicts().size() - 1).reasonCode());
          case TIMEOUT -> Optional.empty();
        };
    return new SimilarCase(
        decision.id().value(),
        decision.label(),
        decision.confidence(),
        settlement.outcome(),
        settlement.basis(),
        settlement.overridesRecommendation(),
        reasonCode,
        decision.truth().map(truth -> Outcome.of(truth.correct())));
  }

  /** Takes one of the task's reviewer slots; claiming again extends the caller's own claim. */
  public ReviewTask claim(String taskId, Caller caller) {
    return step(
        taskId,
        caller,
        (task, now) -> {
          mayReview(task, caller);
          if (task.state() != TaskState.OPEN) {
            throw conflict(task, "it is " + task.state().wireName());
          }
          if (task.liveClaim(caller.name(), now).isEmpty() && task.freeSlots(now) == 0) {
            throw conflict(task, "every reviewer slot is taken");
          }
          Duration timeout = queues.settings(task.queue()).claimTimeout();
          return new ReviewEvent.Claimed(
              taskId,
              task.assignment().decision(),
              iri(task),
              caller.name(),
              now,
              now.plus(timeout));
        });
  }

  /** Gives the caller's slot back without a verdict. */
  public ReviewTask release(String taskId, Caller caller) {
    return step(
        taskId,
        caller,
        (task, now) -> {
          if (task.liveClaim(caller.name(), now).isEmpty()) {
            throw conflict(task, "you hold no claim on it");
          }
          return new ReviewEvent.Released(
              taskId, task.assignment().decision(), iri(task), caller.name(), now);
        });
  }

  /** Records the caller's verdict; it needs the caller's live claim. */
  public ReviewTask verdict(String taskId, Caller caller, VerdictRequest request) {
    return step(
        taskId,
        caller,
        (task, now) -> {
          mayReview(task, caller);
          if (task.state() != TaskState.OPEN) {
            throw conflict(task, "it is " + task.state().wireName());
          }
          ReviewTask.Claim claim =
              task.liveClaim(caller.name(), now)
                  .orElseThrow(
                      () -> conflict(task, "you hold no live claim on it; claim it first"));
          boolean blind = task.assignment().blind();
          VerdictRequest checked = checkAgainstPolicy(task, request, blind, blind);
          Verdict verdict = checked.by(caller.name(), !task.assignment().blind(), claim.at(), now);
          return new ReviewEvent.VerdictGiven(
              taskId,
              task.assignment().decision(),
              iri(task),
              task.assignment().policy(),
              verdict,
              task.settlementAfter(verdict));
        });
  }

  /** A lead reviewer's ruling on disagreeing verdicts. */
  public ReviewTask adjudicate(String taskId, Caller caller, VerdictRequest request) {
    return step(
        taskId,
        caller,
        (task, now) -> {
          if (!caller.isLead()) {
            throw new ProblemException(
                ProblemType.FORBIDDEN, "Only a lead reviewer rules on disagreements.");
          }
          if (task.state() != TaskState.ADJUDICATION) {
            throw conflict(task, "it is " + task.state().wireName() + ", not awaiting a ruling");
          }
          if (caller.name().equals(task.assignment().submittedBy())) {
            throw separation("You submitted decision " + task.assignment().decision() + ".");
          }
          if (task.hasVerdictFrom(caller.name())) {
            throw separation("You gave one of the verdicts in this disagreement.");
          }
          if (task.assignment().blind() && caller.seesModelOutputsElsewhere()) {
            throw separation(
                "This is a blind review, and your roles let you read models' outputs elsewhere.");
          }
          VerdictRequest checked =
              checkAgainstPolicy(task, request, task.assignment().blind(), true);
          Verdict ruling =
              checked.by(
                  caller.name(),
                  !task.assignment().blind(),
                  task.adjudicationSince().orElse(now),
                  now);
          return new ReviewEvent.Adjudicated(
              taskId,
              task.assignment().decision(),
              iri(task),
              task.assignment().policy(),
              ruling,
              new Settlement(
                  request.outcome(),
                  Settlement.Basis.ADJUDICATION,
                  now,
                  request.outcome().goesAgainst(task.assignment().recommendation())));
        });
  }

  /**
   * Applies the SLAs: a task past its deadline gets the fail-safe outcome; one past the escalation
   * point of its SLA moves to its queue's escalation queue (once). Run by the scheduler; returns
   * what it recorded.
   */
  public List<ReviewEvent> sweep() {
    List<ReviewEvent> recorded = new ArrayList<>();
    for (String taskId : List.copyOf(unfinished)) {
      ReviewTask task = tasks.get(taskId);
      if (task == null || task.state().finished()) {
        continue;
      }
      Instant now = clock.instant();
      if (task.overdue(now) || escalationDue(task, now)) {
        try {
          stepAsSystem(taskId, recorded);
        } catch (RuntimeException e) {
          // Recording failed (store unavailable): the next sweep tries again.
          LOG.log(Level.WARNING, "SLA step for task " + taskId + " failed; retrying next sweep", e);
          return recorded;
        }
      }
    }
    return recorded;
  }

  private void stepAsSystem(String taskId, List<ReviewEvent> recorded) {
    synchronized (lock(taskId)) {
      ReviewTask task = tasks.get(taskId);
      Instant now = clock.instant();
      ReviewEvent event;
      if (task.state().finished()) {
        return;
      } else if (task.overdue(now)) {
        var a = task.assignment();
        Outcome outcome =
            a.kind() == TaskKind.QA
                // Nothing to fail safe to: the automated decision stands, unreviewed.
                ? Outcome.fromWireName(a.recommendation())
                    .orElse(ReviewAssignment.FAIL_SAFE_OUTCOME)
                : failSafeOutcome(task);
        event =
            new ReviewEvent.TimedOut(
                taskId,
                a.decision(),
                iri(task),
                ModelRegistry.SYSTEM_ACTOR,
                new Settlement(
                    outcome,
                    Settlement.Basis.TIMEOUT,
                    now,
                    outcome.goesAgainst(a.recommendation())));
      } else if (escalationDue(task, now)) {
        event =
            new ReviewEvent.Escalated(
                taskId,
                task.assignment().decision(),
                iri(task),
                ModelRegistry.SYSTEM_ACTOR,
                now,
                task.queue(),
                queues.settings(task.queue()).escalateTo().orElseThrow());
      } else {
        return;
      }
      record(task, event);
      recorded.add(event);
    }
  }

  /**
   * The fail-safe outcome of the policy version that routed the decision (versions are immutable,
   * so this is what it was then); reject when no policy did.
   */
  private Outcome failSafeOutcome(ReviewTask task) {
    return policyOf(task)
        .map(PolicyDocument::onReviewTimeout)
        .map(Outcome::of)
        .orElse(ReviewAssignment.FAIL_SAFE_OUTCOME);
  }

  /**
   * The error naming {@code verdict} when the outcome is not one of the outcomes of the policy
   * version that routed the decision (approve/reject when none did).
   */
  private Optional<FieldError> outsideVocabulary(ReviewTask task, Outcome outcome) {
    OutcomeVocabulary vocabulary = vocabulary(task);
    return vocabulary.contains(outcome.wireName())
        ? Optional.empty()
        : Optional.of(new FieldError("verdict", "must be one of " + vocabulary.outcomes()));
  }

  /**
   * The same check, for a request refused for other fields before it reaches the task's rules, so
   * that one answer names every field at fault; nothing for a task that does not exist.
   */
  public Optional<FieldError> outsideVocabulary(String taskId, Outcome outcome) {
    return Optional.ofNullable(tasks.get(taskId)).flatMap(t -> outsideVocabulary(t, outcome));
  }

  private boolean escalationDue(ReviewTask task, Instant now) {
    if (!task.escalations().isEmpty()
        || queues.settings(task.queue()).escalateTo().isEmpty()
        || task.state() != TaskState.OPEN) {
      return false;
    }
    var a = task.assignment();
    long slaMillis = Duration.between(a.createdAt(), a.deadline()).toMillis();
    Instant due = a.createdAt().plusMillis((long) (slaMillis * queues.escalateAt()));
    return !now.isBefore(due);
  }

  /**
   * Whether the caller may see the task at all. A caller bound to tenants sees only tasks about its
   * tenants' decisions, whatever its roles; any other task reads as unknown.
   */
  private boolean visible(ReviewTask task, Caller caller) {
    return isVisibleTo(task, caller, scopeOf(caller));
  }

  private boolean inScope(ReviewTask task, io.arbiter.decision.TenantScope scope) {
    return scope.global()
        || decisions.summary(task.assignment().decision()).filter(scope::sees).isPresent();
  }

  /** The decision a task is about, if the task exists. */
  public Optional<io.arbiter.decision.DecisionId> decisionOf(String taskId) {
    return Optional.ofNullable(tasks.get(taskId)).map(task -> task.assignment().decision());
  }

  private boolean allowed(ReviewTask task, Caller caller) {
    return caller.oversees()
        || caller.works(queues.settings(task.queue()))
        || (task.state() == TaskState.ADJUDICATION && caller.isLead())
        || task.hasVerdictFrom(caller.name())
        || task.claims().stream().anyMatch(c -> c.reviewer().equals(caller.name()))
        || task.ruling().map(r -> r.reviewer().equals(caller.name())).orElse(false);
  }

  private void mayReview(ReviewTask task, Caller caller) {
    if (!caller.works(queues.settings(task.queue()))) {
      throw new ProblemException(
          ProblemType.FORBIDDEN, "Your roles do not allow you to work queue " + task.queue() + ".");
    }
    if (caller.name().equals(task.assignment().submittedBy())) {
      throw separation(
          "You submitted decision " + task.assignment().decision() + " and cannot review it.");
    }
    if (task.hasVerdictFrom(caller.name())) {
      throw separation(
          "You already gave a verdict on this task; another reviewer must give the next.");
    }
    if (task.assignment().blind() && caller.seesModelOutputsElsewhere()) {
      throw separation(
          "This is a blind review, and your roles let you read models' outputs elsewhere.");
    }
  }

  /**
   * {@link #reasonCodes(ReviewTask)} with the words the policy version gives each code. The codes
   * and words are the version's, the same for every task it routes, so they say nothing of the
   * model's output that the codes themselves do not.
   */
  public List<ReasonCode> labelledReasonCodes(ReviewTask task) {
    List<String> codes = reasonCodes(task);
    return policyOf(task)
        .map(p -> p.describe(codes))
        .orElseGet(() -> codes.stream().map(ReasonCode::plain).toList());
  }

  /**
   * The outcomes a verdict on the task may give, in the vocabulary's order: those of the policy
   * version that routed it (approve/reject when none did).
   */
  public List<String> outcomes(ReviewTask task) {
    return vocabulary(task).outcomes();
  }

  private OutcomeVocabulary vocabulary(ReviewTask task) {
    return policyOf(task).map(PolicyDocument::vocabulary).orElse(OutcomeVocabulary.DEFAULT);
  }

  /** The reason codes a verdict on the task may give; empty: any well-formed code. */
  public List<String> reasonCodes(ReviewTask task) {
    var a = task.assignment();
    return !a.reasonCodes().isEmpty()
        ? a.reasonCodes()
        : policyOf(task).map(PolicyDocument::reasonCodeIds).orElse(List.of());
  }

  /** The rules a verdict on the task may cite: those of the policy version that routed it. */
  public List<String> citableRules(ReviewTask task) {
    return policyOf(task)
        .map(
            p ->
                Stream.concat(p.allRules().stream().map(PolicyRule::id), Stream.of(DefaultRoute.ID))
                    .toList())
        .orElse(List.of());
  }

  /**
   * The neutral names a blind review shows for the rules of the task's policy version (see {@link
   * RuleAliases}), drawn for this task; {@link RuleAliases#NONE} when no policy routed it.
   */
  public RuleAliases aliases(ReviewTask task) {
    if (task.assignment().policy().isEmpty()) {
      return RuleAliases.NONE;
    }
    if (task.settlement().isPresent()) {
      return draw(task);
    }
    RuleAliases drawn = aliasesByTask.computeIfAbsent(task.id(), id -> draw(task));
    // A view racing with the settlement may have drawn them after it dropped them: drop them again
    // (the settlement updates the task before it drops the aliases, so one of the two sees it).
    ReviewTask now = tasks.get(task.id());
    if (now != null && now.settlement().isPresent()) {
      aliasesByTask.remove(task.id());
    }
    return drawn;
  }

  private RuleAliases draw(ReviewTask task) {
    return new RuleAliases(citableRules(task), task.id(), aliasSecret);
  }

  private Optional<PolicyDocument> policyOf(ReviewTask task) {
    return task.assignment()
        .policy()
        .flatMap(p -> policies.version(p.id(), p.version()))
        .map(v -> v.document());
  }

  /**
   * Reason code, rules and justification, checked against the policy version that routed it; the
   * request as it is to be recorded (a blind task's cited aliases resolved to the rules).
   *
   * <p>In blind review ({@code blind}: the task's flag, which every caller who may give it a
   * verdict or ruling works under) rules are cited by their aliases, and no message names a real
   * rule or echoes what was cited: a rule's id could name the model's call. Callers pass {@code
   * alwaysJustify} for blind verdicts and for every ruling, so that the demand for a justification
   * (and its message) cannot reveal the recommendation.
   */
  private VerdictRequest checkAgainstPolicy(
      ReviewTask task, VerdictRequest request, boolean blind, boolean alwaysJustify) {
    List<FieldError> errors = new ArrayList<>();
    var a = task.assignment();
    Optional<FieldError> unknown = outsideVocabulary(task, request.outcome());
    boolean known = unknown.isEmpty();
    unknown.ifPresent(errors::add);
    List<String> codes = reasonCodes(task);
    if (codes.isEmpty()
        ? !REASON_CODE.matcher(request.reasonCode()).matches()
        : !codes.contains(request.reasonCode())) {
      errors.add(
          new FieldError(
              "reasonCode",
              codes.isEmpty() ? "must match " + REASON_CODE.pattern() : "must be one of " + codes));
    }
    List<String> ruleIds = citableRules(task);
    RuleAliases aliases = aliases(task);
    List<String> cited = new ArrayList<>(request.rules().size());
    for (int i = 0; i < request.rules().size(); i++) {
      String rule = request.rules().get(i);
      Optional<String> resolved =
          blind ? aliases.rule(rule) : Optional.of(rule).filter(ruleIds::contains);
      resolved.ifPresent(cited::add);
      if (resolved.isEmpty()) {
        errors.add(
            new FieldError(
                "rules[" + i + "]",
                ruleIds.isEmpty()
                    ? "no policy routed this decision, so there are no rules to name"
                    : blind
                        ? "must be one of the rules this task lists " + aliases.aliases()
                        : "'" + rule + "' is not a rule of the policy version " + ruleIds));
      }
    }
    // Whether a verdict outside the vocabulary goes against the model is no question to answer.
    boolean justify = alwaysJustify || (known && request.outcome().goesAgainst(a.recommendation()));
    if (justify && request.justification().isEmpty()) {
      errors.add(
          new FieldError(
              "justification",
              alwaysJustify
                  ? "required for this task"
                  : "required when the verdict goes against the model's recommendation"));
    }
    request
        .justification()
        .filter(j -> j.length() > VerdictRequest.MAX_JUSTIFICATION)
        .ifPresent(
            j ->
                errors.add(
                    new FieldError(
                        "justification",
                        "at most " + VerdictRequest.MAX_JUSTIFICATION + " characters")));
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "The verdict has invalid fields.", errors);
    }
    return request.citing(cited);
  }

  /** What a step makes of the task as it stands at {@code now}; throws to refuse. */
  private interface Step {
    ReviewEvent decide(ReviewTask task, Instant now);
  }

  private ReviewTask step(String taskId, Caller caller, Step step) {
    ReviewTask seen = require(taskId, caller);
    synchronized (lock(seen.id())) {
      ReviewTask task = tasks.get(taskId);
      Instant now = clock.instant();
      if (task.overdue(now)) {
        // Past the deadline only the fail-safe applies, even before the sweep has recorded it.
        throw conflict(task, "its SLA ran out at " + task.assignment().deadline());
      }
      ReviewEvent event = step.decide(task, now);
      return record(task, event);
    }
  }

  /** Records the event durably, then applies it; the caller holds the task's lock. */
  private ReviewTask record(ReviewTask task, ReviewEvent event) {
    try {
      log.append(event).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new ProblemException(
          ProblemType.STORE_UNAVAILABLE,
          "The review step could not be recorded and did not happen; it is safe to retry.");
    }
    ReviewTask next = task.apply(event);
    tasks.put(next.id(), next);
    changed(next);
    if (event.settlement().isPresent()) {
      unfinished.remove(next.id());
      aliasesByTask.remove(next.id());
      similar.settled(next);
      // The step is durable: whatever the decision's listeners do, the caller hears it happened.
      try {
        resolution(next).ifPresent(r -> decisions.resolve(next.assignment().decision(), r, true));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "telling the decision of " + next.id() + " failed", e);
      }
    }
    return next;
  }

  private Object lock(String taskId) {
    return locks.computeIfAbsent(taskId, id -> new Object());
  }

  private String iri(ReviewTask task) {
    return iris.review(task.id());
  }

  private static ProblemException notFound(String taskId) {
    return new ProblemException(
        ProblemType.NOT_FOUND, "No review task " + taskId + " is visible to you.");
  }

  private static ProblemException conflict(ReviewTask task, String why) {
    return new ProblemException(
        ProblemType.STATE_CONFLICT,
        "Review task " + task.id() + " cannot take this step: " + why + ".");
  }

  private static ProblemException separation(String detail) {
    return new ProblemException(ProblemType.SEPARATION_OF_DUTIES, detail);
  }
}
