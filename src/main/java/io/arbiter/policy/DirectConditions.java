package io.arbiter.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles the typed core of CEL straight to Java: literals; the declared inputs, the {@code
 * output} and {@code model} fields and {@code drift.alarm}; {@code < <= > >=} on numbers and
 * strings; {@code == !=} on ints, strings and bools; {@code in} a list of literal strings or ints;
 * {@code + - * /} and negation on doubles; {@code && || ! ?:}. A condition that uses anything else
 * (context, macros, functions, int arithmetic, double equality, ...) is not compiled here and keeps
 * its CEL program.
 *
 * <p>Why: CEL-Java's interpreter takes half a microsecond to a microsecond per condition here, too
 * slow to route a decision through ten rules in a microsecond (docs/performance.md, "Policy
 * evaluation"). Why it gives CEL's answers: each operation does exactly what the CEL-Java 0.14
 * overload that the type-checker chose for it does (the overload id is read from the checked AST;
 * heterogeneous comparisons go through {@link #compareDoubleInt}, a copy of CEL's own), and nothing
 * in this core can fail at run time once the rule's declared inputs are known to be present, so
 * CEL's error-absorbing {@code &&} and {@code ||} give the same values as Java's. Upgrading CEL
 * means checking these overloads again. One class, longer than most, so that the whole core and its
 * semantics read in one place.
 */
final class DirectConditions {

  interface Bool {
    boolean test(FactValues values);
  }

  interface Num {
    double value(FactValues values);
  }

  interface Int {
    long value(FactValues values);
  }

  interface Str {
    String value(FactValues values);
  }

  /** Thrown while compiling when the expression leaves the core; the rule keeps CEL. */
  private static final class Unsupported extends Exception {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  private final CelAbstractSyntaxTree ast;
  private final FactValues.Inputs inputs;

  private DirectConditions(CelAbstractSyntaxTree ast, FactValues.Inputs inputs) {
    this.ast = ast;
    this.inputs = inputs;
  }

  /** The condition compiled to Java, or empty when it uses more than the core. */
  static Optional<Condition> compile(CelAbstractSyntaxTree ast, FactValues.Inputs inputs) {
    try {
      Bool condition = new DirectConditions(ast, inputs).bool(ast.getExpr());
      return Optional.of(values -> condition.test(values));
    } catch (Unsupported outsideTheCore) {
      return Optional.empty();
    }
  }

  private Bool bool(CelExpr e) throws Unsupported {
    require(e, CelKind.BOOL);
    switch (e.getKind()) {
      case CONSTANT -> {
        boolean c = constant(e, CelConstant.Kind.BOOLEAN_VALUE).booleanValue();
        return values -> c;
      }
      case IDENT -> {
        if (variable(e).equals(PolicyCompiler.DRIFT_ALARM)) {
          return values -> values.facts().drift().alarmed();
        }
        int slot = input(e, InputType.BOOLEAN);
        return values -> values.bool(slot);
      }
      case CALL -> {
        return call(e);
      }
      default -> throw new Unsupported();
    }
  }

  private Bool call(CelExpr e) throws Unsupported {
    List<CelExpr> args = args(e);
    String function = e.call().function();
    if (args.size() != (function.equals("!_") ? 1 : function.equals("_?_:_") ? 3 : 2)) {
      throw new Unsupported();
    }
    switch (function) {
      case "_&&_" -> {
        Bool a = bool(args.get(0));
        Bool b = bool(args.get(1));
        return values -> a.test(values) && b.test(values);
      }
      case "_||_" -> {
        Bool a = bool(args.get(0));
        Bool b = bool(args.get(1));
        return values -> a.test(values) || b.test(values);
      }
      case "!_" -> {
        Bool a = bool(args.get(0));
        return values -> !a.test(values);
      }
      case "_?_:_" -> {
        Bool c = bool(args.get(0));
        Bool a = bool(args.get(1));
        Bool b = bool(args.get(2));
        return values -> c.test(values) ? a.test(values) : b.test(values);
      }
      case "_==_", "_!=_" -> {
        Bool equal = equal(args.get(0), args.get(1));
        return function.equals("_==_") ? equal : values -> !equal.test(values);
      }
      case "@in" -> {
        return in(args.get(0), args.get(1));
      }
      case "_<_", "_<=_", "_>_", "_>=_" -> {
        return compare(overload(e), args.get(0), args.get(1));
      }
      default -> throw new Unsupported();
    }
  }

  // CEL-Java: `equals` is RuntimeEquality.objectEquals, i.e. Long/String/Boolean equals for these.
  private Bool equal(CelExpr left, CelExpr right) throws Unsupported {
    CelKind kind = kind(left);
    require(right, kind);
    return switch (kind) {
      case INT -> {
        Int a = integer(left);
        Int b = integer(right);
        yield values -> a.value(values) == b.value(values);
      }
      case STRING -> {
        Str a = string(left);
        Str b = string(right);
        yield values -> a.value(values).equals(b.value(values));
      }
      case BOOL -> {
        Bool a = bool(left);
        Bool b = bool(right);
        yield values -> a.test(values) == b.test(values);
      }
      default -> throw new Unsupported();
    };
  }

  // CEL-Java `in_list`: RuntimeEquality.inList, equality with each element in turn.
  private Bool in(CelExpr element, CelExpr list) throws Unsupported {
    if (list.getKind() != CelExpr.ExprKind.Kind.LIST || !list.list().optionalIndices().isEmpty()) {
      throw new Unsupported();
    }
    CelKind kind = kind(element);
    Set<Object> members = new HashSet<>();
    for (CelExpr member : list.list().elements()) {
      members.add(
          switch (kind) {
            case STRING -> constant(member, CelConstant.Kind.STRING_VALUE).stringValue();
            case INT -> constant(member, CelConstant.Kind.INT64_VALUE).int64Value();
            default -> throw new Unsupported();
          });
    }
    if (kind == CelKind.STRING) {
      Str a = string(element);
      return values -> members.contains(a.value(values));
    }
    Int a = integer(element);
    return values -> members.contains(a.value(values));
  }

  private Bool compare(String overload, CelExpr left, CelExpr right) throws Unsupported {
    Sign sign = Sign.of(overload);
    switch (overload.substring(sign.prefix.length())) {
      case "double" -> {
        Num a = number(left);
        Num b = number(right);
        return switch (sign) { // primitive comparisons: false whenever NaN is involved
          case LESS -> values -> a.value(values) < b.value(values);
          case LESS_EQUALS -> values -> a.value(values) <= b.value(values);
          case GREATER -> values -> a.value(values) > b.value(values);
          case GREATER_EQUALS -> values -> a.value(values) >= b.value(values);
        };
      }
      case "int64" -> {
        Int a = integer(left);
        Int b = integer(right);
        return values -> sign.holds(Long.compare(a.value(values), b.value(values)));
      }
      case "string" -> {
        Str a = string(left);
        Str b = string(right);
        return values -> sign.holds(a.value(values).compareTo(b.value(values)));
      }
      case "double_int64" -> {
        Num a = number(left);
        Int b = integer(right);
        return values -> sign.holds(compareDoubleInt(a.value(values), b.value(values)));
      }
      case "int64_double" -> {
        Int a = integer(left);
        Num b = number(right);
        return values -> sign.holds(-compareDoubleInt(b.value(values), a.value(values)));
      }
      default -> throw new Unsupported();
    }
  }

  /** The comparison an overload id names, and how CEL-Java reads a three-way result for it. */
  private enum Sign {
    LESS_EQUALS("less_equals_"),
    LESS("less_"),
    GREATER_EQUALS("greater_equals_"),
    GREATER("greater_");

    final String prefix;

    Sign(String prefix) {
      this.prefix = prefix;
    }

    /** The comparison of an overload id such as {@code less_equals_double_int64}. */
    static Sign of(String overload) throws Unsupported {
      for (Sign sign : values()) { // longer prefixes first
        if (overload.startsWith(sign.prefix)) {
          return sign;
        }
      }
      throw new Unsupported();
    }

    // CEL-Java tests `== -1`, `<= 0`, `== 1`, `>= 0`; the three-way results used are -1, 0 and 1,
    // or any sign for Long.compare and String.compareTo, where `< 0` and `> 0` are meant.
    boolean holds(int comparison) {
      return switch (this) {
        case LESS -> comparison < 0;
        case LESS_EQUALS -> comparison <= 0;
        case GREATER -> comparison > 0;
        case GREATER_EQUALS -> comparison >= 0;
      };
    }
  }

  /**
   * CEL-Java's {@code ComparisonFunctions.compareDoubleInt} (dev.cel.common.internal), as the
   * heterogeneous overloads call it: {@link Double#compare}, so NaN is greater than every int.
   */
  static int compareDoubleInt(double d, long l) {
    if (d < (double) Long.MIN_VALUE) {
      return -1;
    }
    if (d > (double) Long.MAX_VALUE) {
      return 1;
    }
    return Double.compare(d, (double) l);
  }

  private Num number(CelExpr e) throws Unsupported {
    require(e, CelKind.DOUBLE);
    switch (e.getKind()) {
      case CONSTANT -> {
        double c = constant(e, CelConstant.Kind.DOUBLE_VALUE).doubleValue();
        return values -> c;
      }
      case IDENT -> {
        switch (variable(e)) {
          case PolicyCompiler.OUTPUT_SCORE -> {
            return values -> values.facts().score();
          }
          case PolicyCompiler.OUTPUT_CONFIDENCE -> {
            return values -> values.facts().confidence();
          }
          default -> {
            int slot = input(e, InputType.NUMBER);
            return values -> values.number(slot);
          }
        }
      }
      case CALL -> {
        List<CelExpr> args = args(e);
        if (args.size() != (e.call().function().equals("-_") ? 1 : 2)) {
          throw new Unsupported();
        }
        switch (overload(e)) { // each as CEL-Java's: plain IEEE 754 double arithmetic
          case "negate_double" -> {
            Num a = number(args.get(0));
            return values -> -a.value(values);
          }
          case "add_double" -> {
            Num a = number(args.get(0));
            Num b = number(args.get(1));
            return values -> a.value(values) + b.value(values);
          }
          case "subtract_double" -> {
            Num a = number(args.get(0));
            Num b = number(args.get(1));
            return values -> a.value(values) - b.value(values);
          }
          case "multiply_double" -> {
            Num a = number(args.get(0));
            Num b = number(args.get(1));
            return values -> a.value(values) * b.value(values);
          }
          case "divide_double" -> {
            Num a = number(args.get(0));
            Num b = number(args.get(1));
            return values -> a.value(values) / b.value(values);
          }
          default -> throw new Unsupported();
        }
      }
      default -> throw new Unsupported();
    }
  }

  private Int integer(CelExpr e) throws Unsupported {
    require(e, CelKind.INT);
    switch (e.getKind()) {
      case CONSTANT -> {
        long c = constant(e, CelConstant.Kind.INT64_VALUE).int64Value();
        return values -> c;
      }
      case IDENT -> {
        int slot = input(e, InputType.INTEGER);
        return values -> values.integer(slot);
      }
      default -> throw new Unsupported(); // int arithmetic can overflow, which CEL reports
    }
  }

  private Str string(CelExpr e) throws Unsupported {
    require(e, CelKind.STRING);
    switch (e.getKind()) {
      case CONSTANT -> {
        String c = constant(e, CelConstant.Kind.STRING_VALUE).stringValue();
        return values -> c;
      }
      case IDENT -> {
        switch (variable(e)) {
          case PolicyCompiler.OUTPUT_LABEL -> {
            return values -> values.facts().label();
          }
          case PolicyCompiler.MODEL_NAME -> {
            return values -> values.facts().modelName();
          }
          case PolicyCompiler.MODEL_VERSION -> {
            return values -> values.facts().modelVersion();
          }
          default -> {
            int slot = input(e, InputType.STRING);
            return values -> values.string(slot);
          }
        }
      }
      default -> throw new Unsupported();
    }
  }

  // --- reading the checked AST ---

  private CelKind kind(CelExpr e) throws Unsupported {
    Optional<CelType> type = ast.getType(e.id());
    if (type.isEmpty()) {
      throw new Unsupported();
    }
    return type.get().kind();
  }

  private void require(CelExpr e, CelKind kind) throws Unsupported {
    if (kind(e) != kind) {
      throw new Unsupported();
    }
  }

  private static CelConstant constant(CelExpr e, CelConstant.Kind kind) throws Unsupported {
    if (e.getKind() != CelExpr.ExprKind.Kind.CONSTANT || e.constant().getKind() != kind) {
      throw new Unsupported();
    }
    return e.constant();
  }

  /** The variable an identifier was resolved to by the type-checker. */
  private String variable(CelExpr e) throws Unsupported {
    Optional<CelReference> reference = ast.getReference(e.id());
    if (reference.isEmpty() || reference.get().value().isPresent()) {
      throw new Unsupported();
    }
    return reference.get().name();
  }

  /** The slot of a declared input of the given type that an identifier names. */
  private int input(CelExpr e, InputType type) throws Unsupported {
    Optional<Integer> slot = inputs.slot(variable(e));
    if (slot.isEmpty() || inputs.type(slot.get()) != type) {
      throw new Unsupported();
    }
    return slot.get();
  }

  /** The one overload the type-checker chose for a call. */
  private String overload(CelExpr e) throws Unsupported {
    Optional<CelReference> reference = ast.getReference(e.id());
    if (reference.isEmpty() || reference.get().overloadIds().size() != 1) {
      throw new Unsupported();
    }
    return reference.get().overloadIds().get(0);
  }

  /** A global call's arguments; a receiver-style call ({@code x.f()}) is not in the core. */
  private static List<CelExpr> args(CelExpr e) throws Unsupported {
    if (e.call().target().isPresent()) {
      throw new Unsupported();
    }
    return e.call().args();
  }
}
