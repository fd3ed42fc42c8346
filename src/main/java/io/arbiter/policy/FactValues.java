package io.arbiter.policy;

import dev.cel.runtime.CelVariableResolver;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One evaluation's {@link Facts} as the values conditions see (the variables of {@link
 * PolicyCompiler}): to CEL's interpreter as a {@link CelVariableResolver}, to direct conditions
 * through typed accessors. Each value is converted from the facts on first use and at most once, so
 * an evaluation pays only for what its conditions read. Not thread-safe: one per evaluation.
 */
final class FactValues implements CelVariableResolver {

  /**
   * The inputs a policy declares, numbered in document order: the slots of a {@link FactValues}.
   */
  static final class Inputs {
    private final String[] names;
    private final InputType[] types;
    private final Map<String, Integer> slotByVariable = new HashMap<>();

    Inputs(Map<String, InputType> declared) {
      names = declared.keySet().toArray(String[]::new);
      types = declared.values().toArray(InputType[]::new);
      for (int slot = 0; slot < names.length; slot++) {
        slotByVariable.put(PolicyCompiler.INPUT_PREFIX + names[slot], slot);
      }
    }

    /** The slot of a variable {@code input.<name>}, or empty if no such input is declared. */
    Optional<Integer> slot(String variable) {
      return Optional.ofNullable(slotByVariable.get(variable));
    }

    String name(int slot) {
      return names[slot];
    }

    InputType type(int slot) {
      return types[slot];
    }

    int size() {
      return names.length;
    }
  }

  /** A converted value standing for "absent, or not of the declared type". */
  private static final Object MISSING = new Object();

  private final Inputs inputs;
  private final Facts facts;
  private final Object[] values; // per slot: null until converted, then the value or MISSING
  private Object context;

  FactValues(Inputs inputs, Facts facts) {
    this.inputs = inputs;
    this.facts = facts;
    this.values = new Object[inputs.size()];
  }

  Facts facts() {
    return facts;
  }

  /** The input in {@code slot} as CEL sees it, or null when the request did not carry it. */
  Object input(int slot) {
    Object value = values[slot];
    if (value == null) {
      Object raw = facts.input().get(inputs.names[slot]);
      value = raw == null ? MISSING : inputs.types[slot].toCel(raw).orElse(MISSING);
      values[slot] = value;
    }
    return value == MISSING ? null : value;
  }

  // Typed reads of inputs known to be present (see CompiledPolicy: a rule's inputs are checked
  // before its condition runs) and of the declared type (InputType.toCel guarantees the class).

  double number(int slot) {
    return (Double) input(slot);
  }

  long integer(int slot) {
    return (Long) input(slot);
  }

  String string(int slot) {
    return (String) input(slot);
  }

  boolean bool(int slot) {
    return (Boolean) input(slot);
  }

  @Override
  public Optional<Object> find(String name) {
    return switch (name) {
      case PolicyCompiler.OUTPUT_LABEL -> Optional.of(facts.label());
      case PolicyCompiler.OUTPUT_SCORE -> Optional.of(facts.score());
      case PolicyCompiler.OUTPUT_CONFIDENCE -> Optional.of(facts.confidence());
      case PolicyCompiler.MODEL_NAME -> Optional.of(facts.modelName());
      case PolicyCompiler.MODEL_VERSION -> Optional.of(facts.modelVersion());
      case PolicyCompiler.CONTEXT -> Optional.of(context());
      case PolicyCompiler.DRIFT_ALARM -> Optional.of(facts.drift().alarmed());
      case PolicyCompiler.DRIFT_PSI -> Optional.of(facts.drift().psi());
      case PolicyCompiler.DRIFT_KS -> Optional.of(facts.drift().ks());
      default -> inputs.slot(name).map(this::input);
    };
  }

  private Object context() {
    if (context == null) {
      context = celValue(facts.context());
    }
    return context;
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
      return list.stream().map(FactValues::celValue).toList();
    }
    return value;
  }
}
