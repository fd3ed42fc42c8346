package io.arbiter.policy;

import dev.cel.runtime.CelEvaluationException;
import io.arbiter.policy.EvaluationStep.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A policy version ready to route: conditions compiled once, evaluation a pure function of the
 * {@link Facts}. Thread-safe and immutable.
 *
 * <p>Order: first the decision itself: a model version that is not registered, or not approved
 * where approval is required, or a required declared input that is missing, sends it to the
 * policy's fail-safe review before any rule runs. Then guardrails, then rules, first match wins;
 * else the default route. When the first match sends the decision to review, the later guardrails
 * and rules that route to review are tested too, and the strictest review settings of those that
 * apply win ({@link #strictest}). A condition that cannot be evaluated (an optional input it reads
 * is missing, a run-time error such as a missing context key) stops evaluation and fails safe too:
 * on any doubt, a human decides.
 */
public final class CompiledPolicy {

  /**
   * @param inputs the declared inputs ({@code input.<name>}) the condition reads
   */
  record CompiledRule(PolicyRule rule, Condition condition, Set<String> inputs) {}

  /**
   * Policies up to this many rules keep every possible successful evaluation ready (their traces
   * take rules²/2 references); longer ones build the evaluation when a rule matches.
   */
  private static final int PREPARED_MATCHES = 256;

  private final PolicyDocument document;
  private final List<CompiledRule> rules;
  private final FactValues.Inputs inputs;

  /** Per rule: the slots of the declared inputs its condition reads, in the order of its inputs. */
  private final int[][] required;

  /** The slots of the inputs every request must carry (not marked optional), in document order. */
  private final int[] requiredInputs;

  /** Per rule: its trace step when it did not match, shared by every trace it appears in. */
  private final EvaluationStep[] notMatched;

  /**
   * Per rule routing to review: the later guardrails and rules that route to review too, whose
   * settings combine with its own when they also apply; empty for any other rule.
   */
  private final int[][] laterReviews;

  /** Per rule (the first {@link #PREPARED_MATCHES}): the evaluation when it is the one matched. */
  private final Evaluation[] matched;

  private final Evaluation fallback;

  CompiledPolicy(PolicyDocument document, List<CompiledRule> rules) {
    this.document = document;
    this.rules = List.copyOf(rules);
    this.inputs = new FactValues.Inputs(document.inputs());
    requiredInputs =
        document.requiredInputs().stream()
            .mapToInt(name -> inputs.slot(PolicyCompiler.INPUT_PREFIX + name).orElseThrow())
            .toArray();
    int size = this.rules.size();
    required = new int[size][];
    notMatched = new EvaluationStep[size];
    for (int i = 0; i < size; i++) {
      CompiledRule compiled = this.rules.get(i);
      required[i] =
          compiled.inputs().stream().mapToInt(name -> inputs.slot(name).orElseThrow()).toArray();
      notMatched[i] =
          new EvaluationStep(
              compiled.rule().id(), compiled.rule().kind(), Outcome.NOT_MATCHED, Optional.empty());
    }
    laterReviews = new int[size][];
    for (int i = 0; i < size; i++) {
      final int from = i;
      laterReviews[i] =
          Route.REVIEW.equals(this.rules.get(i).rule().route())
              ? java.util.stream.IntStream.range(from + 1, size)
                  .filter(j -> Route.REVIEW.equals(this.rules.get(j).rule().route()))
                  .toArray()
              : new int[0];
    }
    matched = new Evaluation[Math.min(size, PREPARED_MATCHES)];
    for (int i = 0; i < matched.length; i++) {
      matched[i] = matchedEvaluation(i);
    }
    DefaultRoute route = document.defaultRoute();
    fallback =
        new Evaluation(
            route.route(),
            RuleKind.DEFAULT,
            Optional.of(DefaultRoute.ID),
            route.review(),
            Arrays.asList(notMatched),
            Optional.empty());
  }

  public PolicyDocument document() {
    return document;
  }

  public String id() {
    return document.id();
  }

  public String version() {
    return document.version();
  }

  public boolean governs(String modelName) {
    return document.models().contains(modelName);
  }

  /**
   * Problems with the declared inputs of a request: a value of the wrong type for its declared
   * input, keyed by input name. Missing inputs are not problems here: they make evaluation fail
   * safe instead, because a decision without a feature must still reach a human.
   */
  public Map<String, String> inputTypeErrors(Map<String, Object> input) {
    Map<String, String> errors = new LinkedHashMap<>();
    document
        .inputs()
        .forEach(
            (name, type) -> {
              Object value = input.get(name);
              if (value != null && type.toCel(value).isEmpty()) {
                errors.put(name, "must be " + article(type) + " (declared by policy " + id() + ")");
              }
            });
    return errors;
  }

  /**
   * Routes a decision. Never throws: whatever goes wrong becomes a fail-safe evaluation.
   *
   * <p>Evaluations that end in a match or the default are prepared when the policy is compiled and
   * shared: they are immutable, and a given rule matching always gives the same one.
   */
  public Evaluation evaluate(Facts facts) {
    if (!facts.modelRegistered()) {
      return Evaluation.failSafe(
          document.failSafe(),
          Optional.empty(),
          List.of(),
          "model " + facts.modelName() + " version " + facts.modelVersion() + " is not registered");
    }
    FactValues values = new FactValues(inputs, facts);
    Optional<String> absent = missingRequiredInputs(values);
    if (facts.modelUnapproved() || absent.isPresent()) {
      // Before any rule: a rule that reads none of what is missing must not automate it either.
      return Evaluation.failSafe(
          document.failSafe(), Optional.empty(), List.of(), unfit(facts, absent));
    }
    for (int i = 0; i < rules.size(); i++) {
      Object tested = test(i, values);
      if (tested instanceof String error) {
        return failSafe(i, error);
      }
      if (Boolean.TRUE.equals(tested)) {
        Evaluation decided = i < matched.length ? matched[i] : matchedEvaluation(i);
        return laterReviews[i].length == 0 ? decided : strictest(decided, i, values);
      }
    }
    return fallback;
  }

  /**
   * Tests rule {@code i}: {@link Boolean#TRUE} or {@link Boolean#FALSE}, or why it could not be
   * evaluated (a String), so that no evaluation allocates a result.
   */
  private Object test(int i, FactValues values) {
    Optional<String> missing = missingInputs(i, values);
    if (missing.isPresent()) {
      return missing.get();
    }
    Object result;
    try {
      result = rules.get(i).condition().evaluate(values);
    } catch (CelEvaluationException e) {
      return String.valueOf(e.getMessage());
    } catch (Condition.DeadlineExceeded e) {
      // CEL wraps what its listener throws; should it ever stop, this still never throws.
      return e.getMessage();
    }
    return result instanceof Boolean ? result : "condition did not evaluate to true or false";
  }

  /**
   * Rule {@code decider} sent the decision to review: every later guardrail or rule that routes to
   * review and also applies makes the review at least as strict as it would (most reviewers, blind
   * if any is, shortest SLA), so that first-match order cannot weaken a review, as a sighted
   * guardrail placed before a blind rule would. One that cannot be evaluated applies as a
   * precaution. Each that applies is traced after the decider, saying what it changed; those that
   * do not are left out of the trace, which so stays what it was before any applied.
   */
  private Evaluation strictest(Evaluation decided, int decider, FactValues values) {
    List<EvaluationStep> trace = new ArrayList<>(decided.trace());
    ReviewSettings settings = decided.review().orElseThrow();
    for (int j : laterReviews[decider]) {
      Object tested = test(j, values);
      if (Boolean.FALSE.equals(tested)) {
        continue;
      }
      PolicyRule rule = rules.get(j).rule();
      ReviewSettings theirs = rule.review().orElseThrow();
      List<String> tightened = settings.tightenedBy(theirs);
      String detail =
          (tested instanceof String error
                  ? "could not be evaluated ("
                      + error
                      + "), so applies to the review as a precaution"
                  : "also applies to the review")
              + (tightened.isEmpty()
                  ? "; its settings are no stricter"
                  : ": " + String.join(", ", tightened));
      settings = settings.strictest(theirs);
      trace.add(
          new EvaluationStep(rule.id(), rule.kind(), Outcome.ALSO_APPLIES, Optional.of(detail)));
    }
    return new Evaluation(
        decided.route(),
        decided.kind(),
        decided.ruleId(),
        Optional.of(settings),
        trace,
        Optional.empty());
  }

  /** Why a decision is not fit for any rule: every reason, so the record names them all. */
  private static String unfit(Facts facts, Optional<String> missing) {
    List<String> reasons = new ArrayList<>(2);
    if (facts.modelUnapproved()) {
      reasons.add(
          "model "
              + facts.modelName()
              + " version "
              + facts.modelVersion()
              + " is not approved, and the registry requires approval before its decisions are"
              + " automated");
    }
    missing.ifPresent(reasons::add);
    return String.join("; ", reasons);
  }

  /** The required declared inputs the request did not carry (or not as their declared type). */
  private Optional<String> missingRequiredInputs(FactValues values) {
    List<String> missing = absent(requiredInputs, values);
    return missing.isEmpty()
        ? Optional.empty()
        : Optional.of("declared inputs missing from the request: " + String.join(", ", missing));
  }

  // An optional input the request did not carry would make CEL answer "unknown"; name it instead.
  private Optional<String> missingInputs(int rule, FactValues values) {
    List<String> missing = absent(required[rule], values);
    return missing.isEmpty()
        ? Optional.empty()
        : Optional.of("missing " + String.join(", ", missing));
  }

  /**
   * The variables ({@code input.<name>}) of the {@code slots} the request left empty, in slot
   * order; nothing is allocated when none is, as on almost every evaluation.
   */
  private List<String> absent(int[] slots, FactValues values) {
    List<String> missing = List.of();
    for (int slot : slots) {
      if (values.input(slot) == null) {
        if (missing.isEmpty()) {
          missing = new ArrayList<>();
        }
        missing.add(PolicyCompiler.INPUT_PREFIX + inputs.name(slot));
      }
    }
    return missing;
  }

  /** The evaluation when rule {@code i} matched: every earlier rule tested and not matched. */
  private Evaluation matchedEvaluation(int i) {
    PolicyRule rule = rules.get(i).rule();
    List<EvaluationStep> trace = new ArrayList<>(Arrays.asList(notMatched).subList(0, i));
    trace.add(new EvaluationStep(rule.id(), rule.kind(), Outcome.MATCHED, Optional.empty()));
    return new Evaluation(
        rule.route(), rule.kind(), Optional.of(rule.id()), rule.review(), trace, Optional.empty());
  }

  /** Rule {@code i} could not be evaluated: every earlier rule tested and not matched. */
  private Evaluation failSafe(int i, String error) {
    PolicyRule rule = rules.get(i).rule();
    List<EvaluationStep> trace = new ArrayList<>(Arrays.asList(notMatched).subList(0, i));
    trace.add(new EvaluationStep(rule.id(), rule.kind(), Outcome.ERROR, Optional.of(error)));
    return Evaluation.failSafe(
        document.failSafe(),
        Optional.of(rule.id()),
        trace,
        rule.kind().wireName() + " '" + rule.id() + "' could not be evaluated: " + error);
  }

  private static String article(InputType type) {
    return switch (type) {
      case NUMBER -> "a number";
      case INTEGER -> "an integer";
      case STRING -> "a string";
      case BOOLEAN -> "true or false";
    };
  }
}
