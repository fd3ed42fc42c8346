package io.arbiter.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectConditions} must give exactly CEL's answers. Random policies whose conditions mix
 * the directly compiled core with what stays on CEL are evaluated both ways — direct where possible
 * and all on CEL's interpreter — over random facts chosen for edge cases (NaN, infinities, -0.0,
 * integers beyond 2^53, missing and mistyped inputs, non-ASCII strings); every {@link Evaluation},
 * trace and failure message included, must be equal.
 */
class DirectConditionsDifferentialTest {

  private static final String[] DOUBLES = {
    "0.0",
    "-0.0",
    "1.5",
    "0.1",
    "1e300",
    "-1e300",
    "9.223372036854776e18",
    "9.007199254740992e15",
    "2.0",
    "100.0",
    "0.5"
  };
  private static final String[] INTS = {
    "0",
    "1",
    "-1",
    "2",
    "100",
    "9007199254740993",
    "9223372036854775807",
    "-9223372036854775807",
    "50000"
  };
  private static final String[] STRINGS = {
    "''", "'a'", "'A'", "'z'", "'approve'", "'reject'", "'\u00e9'", "'\uD83D\uDE00'", "'ab'"
  };
  private static final String[] ORDER = {"<", "<=", ">", ">="};

  private final Random random = new Random(20261125);

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  private String number(int depth) {
    return switch (random.nextInt(depth <= 0 ? 3 : 9)) {
      case 0 -> "input.n" + (1 + random.nextInt(2));
      case 1 -> pick(DOUBLES);
      case 2 -> random.nextBoolean() ? "output.score" : "output.confidence";
      case 3 -> "(" + number(depth - 1) + " + " + number(depth - 1) + ")";
      case 4 -> "(" + number(depth - 1) + " - " + number(depth - 1) + ")";
      case 5 -> "(" + number(depth - 1) + " * " + number(depth - 1) + ")";
      case 6 -> "(" + number(depth - 1) + " / " + number(depth - 1) + ")";
      case 7 -> "-(" + number(depth - 1) + ")";
      default -> "double(input.k)"; // a function: stays on CEL
    };
  }

  private String integer() {
    return switch (random.nextInt(4)) {
      case 0 -> "input.k";
      case 1 -> pick(INTS);
      case 2 -> "(input.k + " + pick(INTS) + ")"; // int arithmetic (overflow): stays on CEL
      default -> "size(input.s)";
    };
  }

  private String string() {
    return switch (random.nextInt(4)) {
      case 0 -> "input.s";
      case 1 -> pick(STRINGS);
      case 2 -> "output.label";
      default -> random.nextBoolean() ? "model.name" : "model.version";
    };
  }

  private String condition(int depth) {
    String order = pick(ORDER);
    return switch (random.nextInt(depth <= 0 ? 10 : 16)) {
      case 0 -> number(depth - 1) + " " + order + " " + number(depth - 1);
      case 1 -> integer() + " " + order + " " + integer();
      case 2 -> number(depth - 1) + " " + order + " " + integer();
      case 3 -> string() + " " + order + " " + string();
      case 4 -> string() + (random.nextBoolean() ? " == " : " != ") + string();
      case 5 -> integer() + (random.nextBoolean() ? " == " : " != ") + integer();
      case 6 -> string() + " in [" + pick(STRINGS) + ", " + pick(STRINGS) + "]";
      case 7 -> integer() + " in [" + pick(INTS) + ", " + pick(INTS) + "]";
      case 8 ->
          switch (random.nextInt(3)) {
            case 0 -> "input.b";
            case 1 -> "drift.alarm";
            default -> String.valueOf(random.nextBoolean());
          };
      case 9 ->
          switch (random.nextInt(4)) { // beyond the core
            case 0 -> "context.x > 1";
            case 1 -> "has(context.x)";
            case 2 -> "input.n1 == " + pick(DOUBLES);
            default -> "context.tags.exists(t, t == 'vip')";
          };
      case 10 -> "!(" + condition(depth - 1) + ")";
      case 11 -> "(" + condition(depth - 1) + " && " + condition(depth - 1) + ")";
      case 12 -> "(" + condition(depth - 1) + " || " + condition(depth - 1) + ")";
      case 13 ->
          "("
              + condition(depth - 1)
              + " ? "
              + condition(depth - 1)
              + " : "
              + condition(depth - 1)
              + ")";
      case 14 ->
          "("
              + condition(depth - 1)
              + (random.nextBoolean() ? " == " : " != ")
              + condition(depth - 1)
              + ")";
      default -> number(depth - 1) + " " + order + " " + number(depth - 1);
    };
  }

  private Object numberValue() {
    String[] values = {
      "0",
      "1.5",
      "0.1",
      "1e400",
      "-1e400",
      "9223372036854775807",
      "9223372036854775808",
      "9007199254740993",
      "-3",
      "50000",
      "2"
    };
    return new BigDecimal(pick(values));
  }

  private Facts facts() {
    Map<String, Object> input = new HashMap<>();
    if (random.nextInt(8) != 0) {
      input.put("n1", random.nextInt(20) == 0 ? "not a number" : numberValue());
    }
    if (random.nextInt(8) != 0) {
      input.put("n2", numberValue());
    }
    if (random.nextInt(8) != 0) {
      input.put("k", random.nextInt(10) == 0 ? new BigDecimal("1.5") : new BigDecimal(pick(INTS)));
    }
    if (random.nextInt(8) != 0) {
      input.put("s", pick(STRINGS).replace("'", ""));
    }
    if (random.nextInt(8) != 0) {
      input.put("b", random.nextBoolean());
    }
    double[] doubles = {
      0.0, -0.0, 0.5, 1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.0
    };
    Map<String, Object> context = new HashMap<>();
    if (random.nextBoolean()) {
      context.put("x", new BigDecimal(random.nextBoolean() ? "2" : "0.5"));
    }
    if (random.nextBoolean()) {
      context.put("tags", List.of("a", "vip"));
    }
    return new Facts(
        random.nextBoolean() ? "m" : "\uD83D\uDE00",
        "1",
        input,
        pick(STRINGS).replace("'", ""),
        doubles[random.nextInt(doubles.length)],
        doubles[random.nextInt(doubles.length)],
        context,
        random.nextBoolean()
            ? DriftFacts.NONE
            : new DriftFacts(java.util.Optional.of("alarm"), Map.of(), Map.of()),
        true,
        false);
  }

  @Test
  void directAndInterpretedConditions_giveTheSameEvaluations() throws Exception {
    int evaluations = 0;
    int failSafe = 0;
    for (int p = 0; p < 400; p++) {
      StringBuilder yaml =
          new StringBuilder(
              "id: p\nversion: 1\nscope: {models: [m]}\n"
                  // Optional, so that a missing input reaches the conditions that read it.
                  + "inputs: {n1: {type: number, optional: true}, n2: {type: number, optional:"
                  + " true}, k: {type: integer, optional: true}, s: {type: string, optional:"
                  + " true}, b: {type: boolean, optional: true}}\nrules:\n");
      int rules = 1 + random.nextInt(6);
      for (int i = 0; i < rules; i++) {
        String condition =
            condition(1 + random.nextInt(3)).replace("\\", "\\\\").replace("\"", "\\\"");
        yaml.append("  - {id: r")
            .append(i)
            .append(", condition: \"")
            .append(condition)
            .append("\", route: ")
            .append(random.nextBoolean() ? "approve" : "review")
            .append("}\n");
      }
      PolicyDocument document = PolicyParser.parse("random.yaml", yaml.toString());
      CompiledPolicy direct;
      try {
        direct = PolicyCompiler.compile(document, true);
      } catch (PolicyDocumentException typeError) {
        continue; // the generator may write ill-typed conditions; both paths refuse them alike
      }
      CompiledPolicy interpreted = PolicyCompiler.compile(document, false);
      for (int f = 0; f < 40; f++) {
        Facts facts = facts();
        Evaluation expected = interpreted.evaluate(facts);
        assertEquals(expected, direct.evaluate(facts), () -> yaml + "\nfacts " + facts);
        evaluations++;
        failSafe += expected.kind() == RuleKind.FAIL_SAFE ? 1 : 0;
      }
    }
    assertTrue(evaluations > 8000, "too few well-typed policies: " + evaluations);
    assertTrue(failSafe > 500 && failSafe < evaluations - 500, "fail-safes: " + failSafe);
  }
}
