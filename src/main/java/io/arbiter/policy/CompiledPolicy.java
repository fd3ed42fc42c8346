package io.arbiter.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.arbiter.policy.EvaluationStep.Outcome;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A policy version ready to route: conditions compiled once, evaluation a pure function of the
 * {@link Facts}. Thread-safe and immutable.
 *
 * <p>Order: guardrails, then rules, first match wins; else the default route. A condition that
 * cannot be evaluated (a missing input, a run-time error such as a missing context key) stops
 * evaluation and sends the decision to the policy's fail-safe review: on any doubt, a human
 * decides.
 */
public final class CompiledPolicy {

  /**
   * @param inputs the declared inputs ({@code input.<name>}) the condition reads
   */
  record CompiledRule(PolicyRule rule, CelRuntime.Program program, Set<String> inputs) {}

  private final PolicyDocument document;
  private final List<CompiledRule> rules;

  CompiledPolicy(PolicyDocument document, List<CompiledRule> rules) {
    this.document = document;
    this.rules = List.copyOf(rules);
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

  /** Routes a decision. Never throws: whatever goes wrong becomes a fail-safe evaluation. */
  public Evaluation evaluate(Facts facts) {
    Map<String, Object> variables = variables(facts);
    List<EvaluationStep> trace = new ArrayList<>();
    for (CompiledRule compiled : rules) {
      PolicyRule rule = compiled.rule();
      Optional<String> error = missingVariables(compiled, variables);
      Object result = null;
      if (error.isEmpty()) {
        try {
          result = compiled.program().eval(variables);
        } catch (CelEvaluationException e) {
          error = Optional.of(e.getMessage());
        }
      }
      if (error.isEmpty() && !(result instanceof Boolean)) {
        error = Optional.of("condition did not evaluate to true or false");
      }
      if (error.isPresent()) {
        trace.add(new EvaluationStep(rule.id(), rule.kind(), Outcome.ERROR, error));
        return Evaluation.failSafe(
            document.failSafe(),
            Optional.of(rule.id()),
            trace,
            rule.kind().wireName() + " '" + rule.id() + "' could not be evaluated: " + error.get());
      }
      boolean matched = (Boolean) result;
      trace.add(
          new EvaluationStep(
              rule.id(),
              rule.kind(),
              matched ? Outcome.MATCHED : Outcome.NOT_MATCHED,
              Optional.empty()));
      if (matched) {
        return new Evaluation(
            rule.route(),
            rule.kind(),
            Optional.of(rule.id()),
            rule.review(),
            trace,
            Optional.empty());
      }
    }
    DefaultRoute fallback = document.defaultRoute();
    return new Evaluation(
        fallback.route(),
        RuleKind.DEFAULT,
        Optional.of(DefaultRoute.ID),
        fallback.review(),
        trace,
        Optional.empty());
  }

  private Map<String, Object> variables(Facts facts) {
    Map<String, Object> variables = new HashMap<>();
    document
        .inputs()
        .forEach(
            (name, type) -> {
              Object value = facts.input().get(name);
              if (value != null) {
                type.toCel(value)
                    .ifPresent(v -> variables.put(PolicyCompiler.INPUT_PREFIX + name, v));
              }
            });
    variables.put(PolicyCompiler.OUTPUT_LABEL, facts.label());
    variables.put(PolicyCompiler.OUTPUT_SCORE, facts.score());
    variables.put(PolicyCompiler.OUTPUT_CONFIDENCE, facts.confidence());
    variables.put(PolicyCompiler.MODEL_NAME, facts.modelName());
    variables.put(PolicyCompiler.MODEL_VERSION, facts.modelVersion());
    variables.put(PolicyCompiler.CONTEXT, celValue(facts.context()));
    return variables;
  }

  // A declared input the request did not carry would make CEL answer "unknown"; name it instead.
  private static Optional<String> missingVariables(
      CompiledRule compiled, Map<String, Object> variables) {
    List<String> missing = new ArrayList<>();
    for (String name : compiled.inputs()) {
      if (!variables.containsKey(name)) {
        missing.add(name);
      }
    }
    return missing.isEmpty()
        ? Optional.empty()
        : Optional.of("missing " + String.join(", ", missing));
  }

  /** JSON-shaped values as CEL sees them: integral numbers as int, others as double. */
  private static Object celValue(Object value) {
    if (value instanceof BigDecimal number) {
      try {
        return number.longValueExact();
      } catch (ArithmeticException notIntegral) {
        return number.doubleValue();
      }
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> converted = new HashMap<>();
      map.forEach((k, v) -> converted.put(String.valueOf(k), celValue(v)));
      return converted;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(CompiledPolicy::celValue).toList();
    }
    return value;
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
