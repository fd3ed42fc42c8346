package io.arbiter.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a new version's conditions may cost, and what evaluation does with what got through. */
class ConditionLimitsTest {

  static String list(int size) {
    return IntStream.range(0, size)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** The report's condition: three nested all() over 100-item lists, a million iterations. */
  static final String THREE_NESTED =
      list(100) + ".all(a, " + list(100) + ".all(b, " + list(100) + ".all(c, a + b + c >= 0)))";

  static String policy(String condition) {
    return """
        id: p
        version: 1
        scope: {models: [m]}
        rules:
          - id: costly
            condition: "%s"
            route: approve
        default: {route: reject}
        """
        .formatted(condition);
  }

  private static final Facts FACTS =
      new Facts("m", "1", Map.of(), "x", 0, 1, Map.of("tags", List.of("a", "vip")));

  private static PolicyDocumentException refused(String condition) {
    return assertThrows(
        PolicyDocumentException.class,
        () ->
            PolicyCompiler.compile(
                PolicyParser.parse("new.yaml", policy(condition)),
                PolicyCompiler.DEFAULT_DEADLINE,
                true));
  }

  @Test
  void newVersion_threeNestedComprehensions_isRefusedNamingTheRule() {
    var e = refused(THREE_NESTED);
    assertEquals(1, e.problems().size(), e.problems().toString());
    assertEquals("rules[0] 'costly'.condition", e.problems().get(0).path());
    assertTrue(e.problems().get(0).message().contains("nested more than 2 deep"), e.getMessage());
  }

  @Test
  void newVersion_longListLiteral_isRefused() {
    var e = refused("1 in " + list(300));
    assertTrue(
        e.problems().get(0).message().contains("a list literal of 300 elements"), e.getMessage());
  }

  @Test
  void newVersion_deeplyNestedExpression_isRefused() {
    var e = refused("1 + ".repeat(40) + "1 > 0");
    assertTrue(e.problems().get(0).message().contains("nests expressions"), e.getMessage());
  }

  @Test
  void newVersion_withinTheLimits_compiles() throws Exception {
    String twoNested = list(100) + ".all(a, " + list(100) + ".all(b, a + b >= 0))";
    // Ten thousand iterations on a cold interpreter: a generous deadline, as this is not about it.
    CompiledPolicy policy =
        PolicyCompiler.compile(
            PolicyParser.parse("new.yaml", policy(twoNested)), Duration.ofSeconds(30), true);
    Evaluation e = policy.evaluate(FACTS);
    assertEquals(Route.APPROVE, e.route(), e.toString());
  }

  @Test
  void recordedVersion_beyondTheIterationBudget_failsSafeWithTheReason() throws Exception {
    // Recorded before the limits existed: compiled as it was, but evaluation stops at the budget.
    CompiledPolicy policy =
        PolicyCompiler.compile(
            PolicyParser.parse("old.yaml", policy(THREE_NESTED)), Duration.ofSeconds(30), false);
    Evaluation e = policy.evaluate(FACTS);
    assertEquals(RuleKind.FAIL_SAFE, e.kind());
    assertEquals(Route.REVIEW, e.route());
    assertTrue(e.failure().orElseThrow().contains("'costly' could not be evaluated"), e.toString());
    assertTrue(e.failure().orElseThrow().contains("20000"), e.failure().orElseThrow());
  }

  @Test
  void condition_pastItsDeadline_failsSafeWithTheReason() throws Exception {
    String exists = "has(context.tags) && context.tags.exists(t, t == 'vip')";
    PolicyDocument document = PolicyParser.parse("p.yaml", policy(exists));
    assertEquals(
        Route.APPROVE,
        PolicyCompiler.compile(document, PolicyCompiler.DEFAULT_DEADLINE, true)
            .evaluate(FACTS)
            .route());
    // A deadline of a nanosecond passes before the first sub-expression is done.
    Evaluation e = PolicyCompiler.compile(document, Duration.ofNanos(1), true).evaluate(FACTS);
    assertEquals(RuleKind.FAIL_SAFE, e.kind());
    assertTrue(
        e.failure().orElseThrow().contains("ran past its deadline"), e.failure().orElseThrow());
  }
}
