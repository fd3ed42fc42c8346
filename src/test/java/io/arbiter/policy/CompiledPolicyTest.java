package io.arbiter.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.policy.EvaluationStep.Outcome;
import io.arbiter.testing.Fixtures;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompiledPolicyTest {

  private static final CompiledPolicy DEMO = Fixtures.demoPolicy();

  private static Facts facts(
      Object amount, Object income, Object risk, String label, double confidence) {
    Map<String, Object> input = new HashMap<>();
    if (amount != null) input.put("amount", new BigDecimal(amount.toString()));
    if (income != null) input.put("income", new BigDecimal(income.toString()));
    if (risk != null) input.put("riskScore", new BigDecimal(risk.toString()));
    return new Facts("demo-credit", "1", input, label, 0.5, confidence, Map.of("region", "EU"));
  }

  @Test
  void evaluate_affordableLowRisk_isApprovedByThatRule() {
    Evaluation e = DEMO.evaluate(facts(12000, 56000, 0.1, "approve", 0.9));
    assertEquals(Route.APPROVE, e.route());
    assertEquals(RuleKind.RULE, e.kind());
    assertEquals("affordable-low-risk", e.ruleId().orElseThrow());
    assertEquals(
        List.of(
            Outcome.NOT_MATCHED,
            Outcome.NOT_MATCHED,
            Outcome.NOT_MATCHED,
            Outcome.NOT_MATCHED,
            Outcome.MATCHED),
        e.trace().stream().map(EvaluationStep::outcome).toList());
  }

  @Test
  void evaluate_lowConfidence_guardrailWinsOverRules() {
    Evaluation e = DEMO.evaluate(facts(12000, 56000, 0.1, "approve", 0.3));
    assertEquals(Route.REVIEW, e.route());
    assertEquals(RuleKind.GUARDRAIL, e.kind());
    assertEquals("low-confidence", e.ruleId().orElseThrow());
    assertEquals("low-confidence", e.review().orElseThrow().queue());
    assertEquals(1, e.trace().size());
  }

  @Test
  void evaluate_firstMatchingRuleWins() {
    // Matches both high-risk-reject and large-amount; the earlier rule decides.
    Evaluation e = DEMO.evaluate(facts(90000, 10000, 0.95, "reject", 0.9));
    assertEquals(Route.REJECT, e.route());
    assertEquals("high-risk-reject", e.ruleId().orElseThrow());
  }

  @Test
  void evaluate_noRuleMatches_goesToDefaultHumanReview() {
    Evaluation e = DEMO.evaluate(facts(30000, 40000, 0.5, "approve", 0.9));
    assertEquals(Route.REVIEW, e.route());
    assertEquals(RuleKind.DEFAULT, e.kind());
    assertEquals("default", e.ruleId().orElseThrow());
    assertEquals("general", e.review().orElseThrow().queue());
  }

  @Test
  void evaluate_missingRequiredInput_failsSafeBeforeAnyRuleNamingIt() {
    Evaluation e = DEMO.evaluate(facts(12000, 56000, null, "approve", 0.9));
    assertEquals(Route.REVIEW, e.route());
    assertEquals(RuleKind.FAIL_SAFE, e.kind());
    assertEquals(Optional.empty(), e.ruleId(), "no rule was evaluated");
    assertEquals(List.of(), e.trace());
    assertEquals(
        "declared inputs missing from the request: input.riskScore", e.failure().orElseThrow());
    assertEquals(ReviewSettings.FAIL_SAFE, e.review().orElseThrow());
  }

  /** The case: a rule that reads only the output used to automate a request with none. */
  private static final String OUTPUT_ONLY =
      """
      id: p
      version: 1
      scope: {models: [m]}
      inputs:
        size: number
        shape: string
        site: {type: string, optional: true}
        note: {type: string, optional: true}
      rules:
        - {id: confident, condition: "output.confidence > 0.8", route: approve}
        - {id: by-site, condition: "input.site == 'north'", route: reject}
      default: {route: review}
      """;

  @Test
  void evaluate_emptyInput_failsSafeNamingEveryMissingRequiredInput() throws Exception {
    Evaluation e =
        compile(OUTPUT_ONLY).evaluate(new Facts("m", "1", Map.of(), "x", 0.9, 0.95, Map.of()));
    assertEquals(Route.REVIEW, e.route());
    assertEquals(RuleKind.FAIL_SAFE, e.kind());
    assertEquals(List.of(), e.trace(), "no rule ran, not even one that reads no input");
    assertEquals(
        "declared inputs missing from the request: input.size, input.shape",
        e.failure().orElseThrow());
  }

  @Test
  void evaluate_optionalInputMissing_routesAsUsual() throws Exception {
    Map<String, Object> input = Map.of("size", new BigDecimal("3"), "shape", "round");
    Evaluation e =
        compile(OUTPUT_ONLY).evaluate(new Facts("m", "1", input, "x", 0.9, 0.95, Map.of()));
    assertEquals(Route.APPROVE, e.route());
    assertEquals("confident", e.ruleId().orElseThrow());
  }

  @Test
  void evaluate_optionalInputMissingAndRead_failsSafeAtTheRuleThatReadsIt() throws Exception {
    Map<String, Object> input = Map.of("size", new BigDecimal("3"), "shape", "round");
    Evaluation e =
        compile(OUTPUT_ONLY).evaluate(new Facts("m", "1", input, "x", 0.9, 0.5, Map.of()));
    assertEquals(RuleKind.FAIL_SAFE, e.kind());
    assertEquals("by-site", e.ruleId().orElseThrow());
    assertEquals(Outcome.ERROR, e.trace().get(e.trace().size() - 1).outcome());
    assertTrue(e.failure().orElseThrow().contains("missing input.site"), e.failure().orElseThrow());
  }

  @Test
  void evaluate_unapprovedModel_failsSafeBeforeAnyRuleNamingTheVersion() {
    Evaluation e =
        DEMO.evaluate(facts(12000, 56000, 0.1, "approve", 0.9).withModelUnapproved(true));
    assertEquals(Route.REVIEW, e.route());
    assertEquals(RuleKind.FAIL_SAFE, e.kind());
    assertEquals(Optional.empty(), e.ruleId());
    assertEquals(List.of(), e.trace());
    assertEquals(
        "model demo-credit version 1 is not approved, and the registry requires approval before"
            + " its decisions are automated",
        e.failure().orElseThrow());
  }

  @Test
  void evaluate_unapprovedModelAndMissingInput_recordsBothReasons() {
    Evaluation e =
        DEMO.evaluate(facts(12000, null, null, "approve", 0.9).withModelUnapproved(true));
    assertEquals(RuleKind.FAIL_SAFE, e.kind());
    String failure = e.failure().orElseThrow();
    assertTrue(failure.startsWith("model demo-credit version 1 is not approved"), failure);
    assertTrue(
        failure.endsWith(
            "; declared inputs missing from the request: input.income, input.riskScore"),
        failure);
  }

  @Test
  void evaluate_runtimeError_failsSafe() throws Exception {
    CompiledPolicy policy =
        compile(
            """
        id: p
        version: 1
        scope: {models: [m]}
        rules:
          - id: by-region
            condition: context.tier == 'gold'
            route: approve
        default: {route: reject}
        """);
    Evaluation e =
        policy.evaluate(new Facts("m", "1", Map.of(), "x", 0, 1, Map.of("region", "EU")));
    assertEquals(RuleKind.FAIL_SAFE, e.kind());
    assertEquals(Route.REVIEW, e.route());
    assertTrue(e.failure().orElseThrow().contains("by-region"));
  }

  @Test
  void evaluate_integerLiteralAgainstNumberInput_compares() throws Exception {
    CompiledPolicy policy =
        compile(
            """
        id: p
        version: 1
        scope: {models: [m]}
        inputs: {n: number, k: integer}
        rules:
          - {id: a, condition: "input.n > 1 && input.k >= 2.5", route: approve}
        default: {route: reject}
        """);
    Facts facts =
        new Facts(
            "m",
            "1",
            Map.of("n", new BigDecimal("1.5"), "k", new BigDecimal("3")),
            "x",
            0,
            1,
            Map.of());
    assertEquals(Route.APPROVE, policy.evaluate(facts).route());
  }

  @Test
  void evaluate_recompiledSameDocument_givesTheSameEvaluation() {
    Facts f = facts(30000, 40000, null, "approve", 0.9);
    assertEquals(DEMO.evaluate(f), Fixtures.demoPolicy().evaluate(f));
  }

  @Test
  void macrosAndTypeTests_work() throws Exception {
    CompiledPolicy policy =
        compile(
            """
        id: p
        version: 1
        scope: {models: [m]}
        rules:
          - {id: vip, condition: "has(context.tags) && context.tags.exists(t, t == 'vip')", route: approve}
          - {id: whole, condition: "has(context.n) && type(context.n) == int", route: reject}
        """);
    Facts vip = new Facts("m", "1", Map.of(), "x", 0, 1, Map.of("tags", List.of("a", "vip")));
    assertEquals("vip", policy.evaluate(vip).ruleId().orElseThrow());
    Facts whole = new Facts("m", "1", Map.of(), "x", 0, 1, Map.of("n", new BigDecimal("3")));
    assertEquals("whole", policy.evaluate(whole).ruleId().orElseThrow());
    Facts neither = new Facts("m", "1", Map.of(), "x", 0, 1, Map.of());
    assertEquals(RuleKind.DEFAULT, policy.evaluate(neither).kind());
  }

  @Test
  void driftFacts_areVisibleToConditions_andAMissingStatisticFailsSafe() throws Exception {
    CompiledPolicy policy =
        compile(
            """
        id: p
        version: 1
        scope: {models: [m]}
        guardrails:
          - {id: drifting, condition: drift.alarm, route: review, review: {queue: drift}}
          - id: amount-shift
            condition: "drift.psi['amount'] > 0.2 || drift.ks['output.score'] >= 0.3"
            route: review
        default: {route: approve}
        """);
    Facts plain = new Facts("m", "1", Map.of(), "x", 0, 1, Map.of());
    DriftFacts calm =
        new DriftFacts(
            java.util.Optional.empty(), Map.of("amount", 0.05), Map.of(DriftFacts.SCORE, 0.1));
    assertEquals(Route.APPROVE, policy.evaluate(plain.withDrift(calm)).route());

    Evaluation alarmed =
        policy.evaluate(
            plain.withDrift(new DriftFacts(java.util.Optional.of("a1"), calm.psi(), calm.ks())));
    assertEquals("drifting", alarmed.ruleId().orElseThrow());
    assertEquals("drift", alarmed.review().orElseThrow().queue());

    Evaluation shifted =
        policy.evaluate(
            plain.withDrift(
                new DriftFacts(java.util.Optional.empty(), Map.of("amount", 0.25), calm.ks())));
    assertEquals("amount-shift", shifted.ruleId().orElseThrow());

    // Before a window is assessed there is no statistic: the condition cannot be evaluated.
    Evaluation unknown = policy.evaluate(plain);
    assertEquals(RuleKind.FAIL_SAFE, unknown.kind());
    assertEquals(Route.REVIEW, unknown.route());
    assertEquals("amount-shift", unknown.ruleId().orElseThrow());
  }

  @Test
  void compile_undeclaredInput_namesRuleAndPosition() {
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                compile(
                    """
        id: p
        version: 1
        scope: {models: [m]}
        inputs: {amount: number}
        rules:
          - {id: ok, condition: "input.amount > 1", route: approve}
          - {id: typo, condition: "input.amount > 1 && input.amout < 5", route: reject}
        """));
    String message = e.getMessage();
    assertTrue(message.contains("rules[1] 'typo'.condition"), message);
    assertTrue(message.contains("line 1, column 21"), message);
  }

  @Test
  void compile_misspeltOutputField_namesTheNameAsWrittenAndTheNearestVariable() {
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                compile(
                    """
        id: p
        version: 1
        scope: {models: [m]}
        rules:
          - {id: sure, condition: "output.label == 'approve' && output.confidnce > 0.9", route: approve}
        """));
    assertEquals(1, e.problems().size(), e.problems().toString());
    var problem = e.problems().get(0);
    assertEquals("rules[0] 'sure'.condition", problem.path());
    assertEquals(
        "line 1, column 30: undeclared reference to 'output.confidnce': output has confidence,"
            + " label, score; did you mean output.confidence?",
        problem.message());
  }

  @Test
  void compile_misspeltInputOnALaterLine_namesTheInputTheLineAndTheColumn() {
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                compile(
                    """
        id: p
        version: 1
        scope: {models: [m]}
        inputs: {amount: number, income: number}
        guardrails:
          - id: g
            condition: |-
              input.amount > 1 &&
                input.incme.size() < 5
            route: review
        """));
    assertEquals(
        "line 2, column 3: undeclared reference to 'input.incme': not a declared input (the"
            + " policy declares amount, income); did you mean input.income?",
        e.problems().get(0).message());
    assertEquals("guardrails[0] 'g'.condition", e.problems().get(0).path());
  }

  @Test
  void compile_unknownRoot_listsWhatConditionsMayRead() {
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                compile(
                    """
        id: p
        version: 1
        scope: {models: [m]}
        rules:
          - {id: r, condition: "outptu.label == 'x'", route: approve}
        """));
    String message = e.problems().get(0).message();
    assertEquals(
        "line 1, column 1: undeclared reference to 'outptu': conditions may read context,"
            + " drift.*, input.*, model.*, output.*",
        message);
  }

  @Test
  void compile_otherTypeErrors_keepCelsWordsWithoutContainerNoise() {
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                compile(
                    """
        id: p
        version: 1
        scope: {models: [m]}
        rules:
          - {id: r, condition: "nothing", route: approve}
        """));
    String message = e.problems().get(0).message();
    assertTrue(message.startsWith("line 1, column 1: undeclared reference to 'nothing'"), message);
    assertTrue(!message.contains("container"), message);
  }

  @Test
  void compile_unquotedTrueCondition_isTheLiteralAndMatches() throws Exception {
    CompiledPolicy policy =
        compile(
            """
        id: p
        version: 1
        scope: {models: [m]}
        rules:
          - {id: never, condition: false, route: reject}
          - id: always
            condition: true
            route: approve
        """);
    assertEquals("true", policy.document().rules().get(1).condition());
    Evaluation evaluation =
        policy.evaluate(new Facts("m", "1", Map.of(), "approve", 0.5, 0.9, Map.of()));
    assertEquals("always", evaluation.ruleId().orElseThrow());
    assertEquals(Route.APPROVE, evaluation.route());
  }

  private static final String LAYERED =
      """
      id: layered
      version: 1
      scope: {models: [m]}
      inputs: {amount: number}
      guardrails:
        - id: unsure
          condition: output.confidence < 0.6
          route: review
          review: {queue: low-confidence, reviewers: 1, sla: PT8H, reasonCodes: [a]}
      rules:
        - id: tiny
          condition: input.amount < 10.0
          route: approve
        - id: large
          condition: input.amount > 100.0
          route: review
          review: {queue: senior, reviewers: 2, sla: PT24H, blind: true}
        - id: gold
          condition: context.tier == 'gold'
          route: review
          review: {queue: gold, reviewers: 3, sla: PT48H}
      reasonCodes: [a, b]
      """;

  private static Facts layered(double amount, double confidence, Map<String, Object> context) {
    return new Facts(
        "m", "1", Map.of("amount", new BigDecimal(amount)), "approve", 0.5, confidence, context);
  }

  @Test
  void evaluate_severalRulesApplyToAReview_theStrictestSettingsWinAndTheTraceSaysSo()
      throws Exception {
    Evaluation e = compile(LAYERED).evaluate(layered(500, 0.3, Map.of("tier", "silver")));
    assertEquals(Route.REVIEW, e.route());
    assertEquals("unsure", e.ruleId().orElseThrow(), "first match still decides");
    assertEquals(RuleKind.GUARDRAIL, e.kind());
    assertEquals(
        new ReviewSettings("low-confidence", 2, java.time.Duration.ofHours(8), true, List.of("a")),
        e.review().orElseThrow(),
        "most reviewers, blind if any is, shortest SLA; the decider's queue and reason codes");
    assertEquals(
        List.of(
            new EvaluationStep("unsure", RuleKind.GUARDRAIL, Outcome.MATCHED, Optional.empty()),
            new EvaluationStep(
                "large",
                RuleKind.RULE,
                Outcome.ALSO_APPLIES,
                Optional.of("also applies to the review: reviewers 2 (was 1), blind"))),
        e.trace());
  }

  @Test
  void evaluate_laterReviewRuleThatCannotBeEvaluated_appliesAsAPrecaution() throws Exception {
    Evaluation e = compile(LAYERED).evaluate(layered(50, 0.3, Map.of()));
    assertEquals("unsure", e.ruleId().orElseThrow());
    assertEquals(3, e.review().orElseThrow().reviewers());
    assertEquals(java.time.Duration.ofHours(8), e.review().orElseThrow().sla());
    EvaluationStep gold = e.trace().get(e.trace().size() - 1);
    assertEquals("gold", gold.ruleId());
    assertEquals(Outcome.ALSO_APPLIES, gold.outcome());
    assertTrue(
        gold.detail()
            .orElseThrow()
            .contains("so applies to the review as a precaution: reviewers 3"),
        gold.toString());
  }

  @Test
  void evaluate_onlyOneRuleApplies_orTheFirstMatchAutomates_nothingIsCombined() throws Exception {
    CompiledPolicy policy = compile(LAYERED);
    Evaluation alone = policy.evaluate(layered(50, 0.3, Map.of("tier", "silver")));
    assertEquals(
        new ReviewSettings("low-confidence", 1, java.time.Duration.ofHours(8), false, List.of("a")),
        alone.review().orElseThrow());
    assertEquals(1, alone.trace().size(), alone.trace().toString());
    Evaluation large = policy.evaluate(layered(500, 0.9, Map.of("tier", "gold")));
    assertEquals("large", large.ruleId().orElseThrow());
    assertEquals(
        new ReviewSettings("senior", 3, java.time.Duration.ofHours(24), true),
        large.review().orElseThrow());
    assertEquals(
        "also applies to the review: reviewers 3 (was 2)",
        large.trace().get(large.trace().size() - 1).detail().orElseThrow());
    Evaluation tiny = policy.evaluate(layered(5, 0.9, Map.of("tier", "gold")));
    assertEquals(Route.APPROVE, tiny.route(), "an automated first match is not combined");
  }

  @Test
  void compile_typeMismatch_isRefused() {
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                compile(
                    """
        id: p
        version: 1
        scope: {models: [m]}
        inputs: {amount: number}
        guardrails:
          - {id: g, condition: "input.amount == 'lots'", route: review}
        """));
    assertTrue(e.getMessage().contains("guardrails[0] 'g'"), e.getMessage());
  }

  @Test
  void compile_nonBooleanCondition_isRefused() {
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                compile(
                    """
        id: p
        version: 1
        scope: {models: [m]}
        rules:
          - {id: r, condition: "output.score + 1.0", route: approve}
        """));
    assertTrue(e.getMessage().contains("bool"), e.getMessage());
  }

  @Test
  void inputTypeErrors_wrongTypesAreNamed_missingAreNot() {
    Map<String, String> errors =
        DEMO.inputTypeErrors(Map.of("amount", "lots", "income", new BigDecimal("1")));
    assertEquals(
        Map.of("amount", "must be a number (declared by policy demo-credit-policy)"), errors);
  }

  private static CompiledPolicy compile(String yaml) throws PolicyDocumentException {
    return PolicyCompiler.compile(PolicyParser.parse("test.yaml", yaml));
  }
}
