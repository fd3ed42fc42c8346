package io.arbiter.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

  private static final String MINIMAL =
      """
      id: p
      version: 3
      scope: {models: [m]}
      inputs: {amount: number}
      rules:
        - id: big
          condition: input.amount > 10
          route: review
          review: {queue: q, reviewers: 2, sla: PT2H, blind: true}
      """;

  @Test
  void parse_demoPolicy_readsEverySection() throws Exception {
    PolicyDocument doc =
        PolicyParser.parse("demo", Fixtures.resource("demo/policies/demo-credit.yaml"));
    assertEquals("demo-credit-policy", doc.id());
    assertEquals("1", doc.version());
    assertEquals(List.of("demo-credit"), doc.models());
    assertEquals(List.of("amount", "income", "riskScore"), List.copyOf(doc.inputs().keySet()));
    assertEquals(
        List.of("low-confidence", "unknown-label"),
        doc.guardrails().stream().map(PolicyRule::id).toList());
    assertEquals(3, doc.rules().size());
    assertEquals(Route.REVIEW, doc.defaultRoute().route());
    assertTrue(doc.contentHash().matches("sha256:[0-9a-f]{64}"));
  }

  @Test
  void parse_nestedTwentyThousandLevels_isAProblemNotAStackOverflow() {
    for (String deep :
        List.of(
            "id: p\nversion: 1\nx: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n",
            "{\"id\": \"p\", \"x\": " + "{\"a\": ".repeat(20_000) + "1" + "}".repeat(20_001))) {
      PolicyDocumentException e =
          assertThrows(PolicyDocumentException.class, () -> PolicyParser.parse("deep", deep));
      assertEquals(1, e.problems().size(), e.problems().toString());
      assertTrue(
          e.problems().get(0).message().contains("nested deeper than 64 levels at line"),
          e.problems().toString());
    }
  }

  @Test
  void parse_nestedSixtyFourLevels_isStillYaml() {
    // Deep but within the limit: refused for what it says (x is unknown), not for its depth.
    PolicyDocumentException e =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                PolicyParser.parse(
                    "deep", MINIMAL + "x: " + "[".repeat(63) + "]".repeat(63) + "\n"));
    assertTrue(
        e.problems().stream().noneMatch(p -> p.message().contains("nested")),
        e.problems().toString());
  }

  @Test
  void parse_demoPolicy_requiresEveryInput() throws Exception {
    PolicyDocument doc =
        PolicyParser.parse("demo", Fixtures.resource("demo/policies/demo-credit.yaml"));
    assertEquals(Set.of(), doc.optionalInputs());
    assertEquals(List.of("amount", "income", "riskScore"), doc.requiredInputs());
  }

  @Test
  void parse_inputMarkedOptional_isDeclaredAndNotRequired() throws Exception {
    PolicyDocument doc =
        PolicyParser.parse(
            "t",
            MINIMAL.replace(
                "inputs: {amount: number}",
                "inputs: {amount: number, site: {type: string, optional: true},"
                    + " age: {type: integer, optional: false}}"));
    assertEquals(
        List.of(InputType.NUMBER, InputType.STRING, InputType.INTEGER),
        List.copyOf(doc.inputs().values()));
    assertEquals(Set.of("site"), doc.optionalInputs());
    assertEquals(List.of("amount", "age"), doc.requiredInputs());
  }

  @Test
  void parse_badInputDeclarations_reportEachWithItsPath() {
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                PolicyParser.parse(
                    "t",
                    MINIMAL.replace(
                        "inputs: {amount: number}",
                        "inputs: {amount: {type: number, optional: \"yes\"}, site: {optional:"
                            + " true}, age: {type: integer, colour: red}, k: [number]}")));
    assertEquals(
        List.of(
            "inputs.amount.optional: must be true or false",
            "inputs.site.type: is required: one of number, integer, string, boolean",
            "inputs.age.colour: unknown field",
            "inputs.k: type must be one of number, integer, string, boolean"),
        e.problems().stream().map(PolicyDocumentException.Problem::toString).toList());
  }

  @Test
  void parse_reviewSettings_areRead() throws Exception {
    PolicyRule rule = PolicyParser.parse("t", MINIMAL).rules().get(0);
    assertEquals(
        new ReviewSettings("q", 2, Duration.ofHours(2), true), rule.review().orElseThrow());
  }

  @Test
  void reasonCodes_ofARule_narrowThePolicysList() throws Exception {
    String withCodes =
        MINIMAL
            .replace("version: 3\n", "version: 3\nreasonCodes: [fraud, income, other]\n")
            .replace("blind: true}", "blind: true, reasonCodes: [income, fraud]}");
    PolicyDocument doc = PolicyParser.parse("t", withCodes);
    assertEquals(List.of("fraud", "income", "other"), doc.reasonCodeIds());
    assertEquals(
        List.of(ReasonCode.plain("fraud"), ReasonCode.plain("income"), ReasonCode.plain("other")),
        doc.reasonCodes());
    assertEquals(
        List.of("fraud", "income"), doc.rules().get(0).review().orElseThrow().reasonCodes());

    var outside =
        assertThrows(
            PolicyDocumentException.class,
            () -> PolicyParser.parse("t", withCodes.replace("[income, fraud]", "[income, typo]")));
    assertEquals("rules[0].review.reasonCodes", outside.problems().get(0).path());
    assertTrue(outside.problems().get(0).message().contains("'typo'"));
  }

  private static final String LABELLED =
      MINIMAL.replace(
          "version: 3\n",
          """
          version: 3
          reasonCodes:
            - other
            - code: needs-biopsy
              label: "  Needs a biopsy "
              definition: The images alone cannot settle it.
            - {code: looks-benign, label: Looks benign}
          """);

  @Test
  void reasonCodes_plainAndLabelled_areReadInDocumentOrder_withTheirWords() throws Exception {
    PolicyDocument doc = PolicyParser.parse("t", LABELLED);
    assertEquals(
        List.of(
            ReasonCode.plain("other"),
            new ReasonCode(
                "needs-biopsy",
                Optional.of("Needs a biopsy"),
                Optional.of("The images alone cannot settle it.")),
            new ReasonCode("looks-benign", Optional.of("Looks benign"), Optional.empty())),
        doc.reasonCodes());
    assertEquals(List.of("other", "needs-biopsy", "looks-benign"), doc.reasonCodeIds());
    assertEquals("other", doc.reasonCodes().get(0).shownLabel());
    // A review's narrowed list takes the policy's words; a code the policy lacks shows as itself.
    assertEquals(
        List.of(doc.reasonCodes().get(2), ReasonCode.plain("elsewhere")),
        doc.describe(List.of("looks-benign", "elsewhere")));
  }

  @Test
  void reasonCodes_labelledByARule_isRefused_theWordsAreThePolicys() {
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                PolicyParser.parse(
                    "t",
                    LABELLED.replace(
                        "blind: true}",
                        "blind: true, reasonCodes: [{code: other, label: Other}]}")));
    assertEquals(
        List.of(
            "rules[0].review.reasonCodes[0]: list codes only: labels belong in the policy's"
                + " reasonCodes"),
        e.problems().stream().map(Object::toString).toList());
  }

  @Test
  void reasonCodes_badEntries_areEachNamedByTheirField() {
    String bad =
        MINIMAL.replace(
            "version: 3\n",
            """
            version: 3
            reasonCodes:
              - {label: No code}
              - {code: a, label: A}
              - {code: a, label: Again}
              - {code: "b c", label: B}
              - {code: d}
              - {code: e, label: "   "}
              - {code: f, label: %s}
              - {code: g, label: G, definition: %s}
              - {code: h, label: a}
              - {code: i, label: "two\\nlines"}
              - 42
              - {code: j, label: [J]}
              - {code: k, label: K, colour: red}
            """
                .formatted(
                    "x".repeat(ReasonCode.MAX_LABEL + 1),
                    "y".repeat(ReasonCode.MAX_DEFINITION + 1)));
    var e = assertThrows(PolicyDocumentException.class, () -> PolicyParser.parse("t", bad));
    assertEquals(
        List.of(
            "reasonCodes[0].code: is required",
            "reasonCodes[2].code: 'a' is listed twice",
            "reasonCodes[3].code: must be a code matching " + PolicyParser.ID,
            "reasonCodes[4].label: is required: the words shown for the code",
            "reasonCodes[5].label: must be a non-blank string",
            "reasonCodes[6].label: must be at most " + ReasonCode.MAX_LABEL + " characters",
            "reasonCodes[7].definition: must be at most "
                + ReasonCode.MAX_DEFINITION
                + " characters",
            "reasonCodes[8].label: 'a' already names 'a'",
            "reasonCodes[9].label: must be one line of text",
            "reasonCodes[10]: must be a code matching "
                + PolicyParser.ID
                + ", or a mapping with code, label and definition",
            "reasonCodes[11].label: must be a non-blank string",
            "reasonCodes[12].colour: unknown field"),
        e.problems().stream().map(Object::toString).toList());
  }

  @Test
  void reasonCodes_plainCodesDifferingInCase_stillParse_asBeforeLabels() throws Exception {
    String plain = MINIMAL.replace("version: 3\n", "version: 3\nreasonCodes: [Fraud, fraud]\n");
    assertEquals(List.of("Fraud", "fraud"), PolicyParser.parse("t", plain).reasonCodeIds());
    // A label that reads as another code does not.
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                PolicyParser.parse(
                    "t", plain.replace("[Fraud, fraud]", "[Fraud, {code: f, label: FRAUD}]")));
    assertEquals(
        List.of("reasonCodes[1].label: 'FRAUD' already names 'Fraud'"),
        e.problems().stream().map(Object::toString).toList());
  }

  @Test
  void reasonCodes_lengthsCountCharacters_notUtf16Units() throws Exception {
    // 120 emoji are 240 UTF-16 units: still a label of 120 characters.
    String emoji = "\uD83D\uDE00".repeat(ReasonCode.MAX_LABEL);
    PolicyDocument doc =
        PolicyParser.parse(
            "t",
            MINIMAL.replace(
                "version: 3\n",
                "version: 3\nreasonCodes: [{code: a, label: \"" + emoji + "\"}]\n"));
    assertEquals(emoji, doc.reasonCodes().get(0).label().orElseThrow());
  }

  @Test
  void abstention_labelsAndFloor_areRead_andDefaultToTheLabelAbstain() throws Exception {
    assertEquals(Abstention.DEFAULT, PolicyParser.parse("t", MINIMAL).abstention());
    Abstention abstention =
        PolicyParser.parse(
                "t",
                MINIMAL.replace(
                    "version: 3\n",
                    "version: 3\nabstention: {labels: [unsure], confidenceBelow: 0.6}\n"))
            .abstention();
    assertEquals(new Abstention(List.of("unsure"), java.util.Optional.of(0.6)), abstention);
    assertTrue(abstention.abstains("unsure", 0.99));
    assertTrue(abstention.abstains("approve", 0.59));
    assertTrue(!abstention.abstains("approve", 0.6));

    var bad =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                PolicyParser.parse(
                    "t",
                    MINIMAL.replace(
                        "version: 3\n", "version: 3\nabstention: {confidenceBelow: 2}\n")));
    assertEquals("abstention.confidenceBelow", bad.problems().get(0).path());
  }

  @Test
  void scope_tenants_areOptional_andMustBeIds() throws Exception {
    assertEquals(List.of(), PolicyParser.parse("t", MINIMAL).tenants());
    PolicyDocument scoped =
        PolicyParser.parse(
            "t",
            MINIMAL.replace("scope: {models: [m]}", "scope: {models: [m], tenants: [a, b-2]}"));
    assertEquals(List.of("a", "b-2"), scoped.tenants());
    assertTrue(scoped.covers(java.util.Optional.of("a")));
    assertTrue(!scoped.covers(java.util.Optional.of("c")));
    assertTrue(!scoped.covers(java.util.Optional.empty()));
    assertTrue(PolicyParser.parse("t", MINIMAL).covers(java.util.Optional.empty()));
    var bad =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                PolicyParser.parse(
                    "t",
                    MINIMAL.replace("scope: {models: [m]}", "scope: {models: [m], tenants: []}")));
    assertEquals("scope.tenants", bad.problems().get(0).path());
  }

  @Test
  void parse_noDefault_meansHumanReview() throws Exception {
    PolicyDocument doc = PolicyParser.parse("t", MINIMAL);
    assertEquals(Route.REVIEW, doc.defaultRoute().route());
    assertTrue(doc.defaultRoute().review().isPresent());
  }

  @Test
  void contentHash_sameDocumentInJsonAndYaml_isEqual() throws Exception {
    String json =
        """
        {"version": 3, "id": "p", "scope": {"models": ["m"]}, "inputs": {"amount": "number"},
         "rules": [{"route": "review", "id": "big", "condition": "input.amount > 10",
                    "review": {"queue": "q", "reviewers": 2, "sla": "PT2H", "blind": true}}]}
        """;
    assertEquals(
        PolicyParser.parse("a.yaml", MINIMAL).contentHash(),
        PolicyParser.parse("a.json", json).contentHash());
  }

  @Test
  void contentHash_changedCondition_differs() throws Exception {
    assertNotEquals(
        PolicyParser.parse("a", MINIMAL).contentHash(),
        PolicyParser.parse("b", MINIMAL.replace("> 10", "> 11")).contentHash());
  }

  @Test
  void parse_undeclaredInputs_dropByDefault_refuseWhenSaid_anythingElseRefused() throws Exception {
    assertEquals(UndeclaredInputs.DROP, PolicyParser.parse("p", MINIMAL).undeclaredInputs());
    assertEquals(
        UndeclaredInputs.REFUSE,
        PolicyParser.parse("p", MINIMAL + "undeclaredInputs: refuse\n").undeclaredInputs());
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () -> PolicyParser.parse("p", MINIMAL + "undeclaredInputs: keep\n"));
    assertEquals(
        List.of("undeclaredInputs: must be drop or refuse"),
        e.problems().stream().map(Object::toString).toList());
    assertEquals(
        List.of("patient_age"),
        PolicyParser.parse("p", MINIMAL).undeclared(List.of("amount", "patient_age")));
  }

  @Test
  void parse_conditionThatIsNoExpression_saysWhatAConditionIs() {
    String bad =
        """
        id: p
        version: 1
        scope: {models: [m]}
        rules:
          - {id: a, condition: 5, route: approve}
          - {id: b, condition: "  ", route: approve}
          - {id: c, route: approve}
        """;
    var e = assertThrows(PolicyDocumentException.class, () -> PolicyParser.parse("bad", bad));
    assertEquals(
        List.of(
            "rules[0].condition: must be a CEL expression written as a string, or true or false",
            "rules[1].condition: must not be blank: a CEL expression",
            "rules[2].condition: is required: a CEL expression"),
        e.problems().stream().map(Object::toString).toList());
  }

  @Test
  void parse_structuralProblems_reportsEachWithItsPath() {
    String bad =
        """
        id: p
        scope: {models: []}
        inputs: {amount: money}
        colour: blue
        guardrails:
          - id: g
            condition: "true"
            route: approve
        rules:
          - id: r
            condition: "true"
            route: sideways
          - id: r2
            route: approve
            review: {queue: q}
          - id: g
            condition: "false"
            route: review
            review: {reviewers: 0, sla: soon}
        """;
    var e = assertThrows(PolicyDocumentException.class, () -> PolicyParser.parse("bad.yaml", bad));
    List<String> paths = e.problems().stream().map(PolicyDocumentException.Problem::path).toList();
    assertTrue(
        paths.containsAll(
            List.of(
                "version",
                "scope.models",
                "inputs.amount",
                "colour",
                "guardrails[0].route",
                "rules[0].route",
                "rules[1].condition",
                "rules[1].review",
                "rules[2].id",
                "rules[2].review.reviewers",
                "rules[2].review.sla")),
        paths.toString());
    assertTrue(e.getMessage().startsWith("policy bad.yaml is invalid:"), e.getMessage());
  }

  private static final String SCREENING =
      """
      id: screening
      version: 1
      scope: {models: [tumour-screen]}
      inputs: {radius: number}
      vocabulary:
        outcomes: [benign, malignant]
        labels: {B: benign, M: malignant}
        positive: malignant
      onReviewTimeout: malignant
      guardrails:
        - id: unsure
          condition: output.confidence < 0.7
          route: review
      rules:
        - id: confident-b
          condition: output.label == 'B' && output.confidence >= 0.95
          route: benign
      """;

  @Test
  void vocabulary_declared_isRead_andRoutesUseIt() throws Exception {
    PolicyDocument doc = PolicyParser.parse("screening", SCREENING);
    assertEquals(List.of("benign", "malignant"), doc.vocabulary().outcomes());
    assertEquals(java.util.Map.of("B", "benign", "M", "malignant"), doc.vocabulary().labels());
    assertEquals("malignant", doc.vocabulary().positive());
    assertEquals(new Route("benign"), doc.rules().get(0).route());
    assertEquals(new Route("malignant"), doc.onReviewTimeout());
  }

  @Test
  void vocabulary_absent_isApproveAndReject() throws Exception {
    assertEquals(OutcomeVocabulary.DEFAULT, PolicyParser.parse("p", MINIMAL).vocabulary());
    assertEquals(
        OutcomeVocabulary.DEFAULT,
        PolicyParser.parse("demo", Fixtures.resource("demo/policies/demo-credit.yaml"))
            .vocabulary());
  }

  @Test
  void vocabulary_positiveDefaultsToTheFirstOutcome() throws Exception {
    PolicyDocument doc =
        PolicyParser.parse(
            "p",
            MINIMAL + "vocabulary: {outcomes: [keep, label, remove]}\nonReviewTimeout: remove\n");
    assertEquals("keep", doc.vocabulary().positive());
  }

  @Test
  void vocabulary_problems_areReportedWithTheirPaths() {
    String bad =
        SCREENING
            .replace("route: benign", "route: approve")
            .replace("positive: malignant", "positive: cancer\n  colour: red")
            .replace("labels: {B: benign, M: malignant}", "labels: {B: benign, M: cancer}");
    var e = assertThrows(PolicyDocumentException.class, () -> PolicyParser.parse("bad", bad));
    List<String> paths = e.problems().stream().map(PolicyDocumentException.Problem::path).toList();
    assertTrue(
        paths.containsAll(
            List.of("vocabulary.positive", "vocabulary.colour", "vocabulary.labels.M")),
        paths.toString());
    var outcomes =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                PolicyParser.parse(
                    "bad",
                    SCREENING.replace(
                        "outcomes: [benign, malignant]", "outcomes: [benign, review]")));
    assertEquals(
        List.of("vocabulary.outcomes[1]"),
        outcomes.problems().stream()
            .map(PolicyDocumentException.Problem::path)
            .distinct()
            .limit(1)
            .toList());
  }

  /**
   * Verdicts are told from the model's recommendation ignoring case, so a new version's outcomes
   * differing in case only (and Review, the route to humans in other case) are refused, naming the
   * entry; a version recorded earlier compiles as it did.
   */
  @Test
  void vocabulary_outcomesDifferingInCaseOnly_areRefusedInANewVersion() throws Exception {
    for (String outcomes : List.of("[benign, Benign, malignant]", "[benign, Review, malignant]")) {
      PolicyDocument document =
          PolicyParser.parse(
              "bad", SCREENING.replace("outcomes: [benign, malignant]", "outcomes: " + outcomes));
      var e =
          assertThrows(
              PolicyDocumentException.class,
              () -> PolicyCompiler.compile(document, java.time.Duration.ofMillis(50), true));
      assertEquals("vocabulary.outcomes[1]", e.problems().get(0).path(), e.problems().toString());
      PolicyCompiler.compile(document, java.time.Duration.ofMillis(50), false);
    }
  }

  @Test
  void vocabulary_routeOutsideIt_isRefusedNamingTheRule() {
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () -> PolicyParser.parse("bad", SCREENING.replace("route: benign", "route: approve")));
    assertEquals(
        List.of("rules[0].route"),
        e.problems().stream().map(PolicyDocumentException.Problem::path).toList());
    assertTrue(e.getMessage().contains("[benign, malignant]"), e.getMessage());
  }

  @Test
  void vocabulary_withoutReject_needsOnReviewTimeout() {
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () -> PolicyParser.parse("bad", SCREENING.replace("onReviewTimeout: malignant\n", "")));
    assertEquals(
        List.of("onReviewTimeout"),
        e.problems().stream().map(PolicyDocumentException.Problem::path).toList());
  }

  @Test
  void vocabulary_guardrail_routesOnlyToReviewOrTheFailSafeOutcome() throws Exception {
    String toSafe = SCREENING.replace("    route: review\n", "    route: malignant\n");
    assertEquals(
        new Route("malignant"), PolicyParser.parse("ok", toSafe).guardrails().get(0).route());
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () ->
                PolicyParser.parse(
                    "bad", SCREENING.replace("    route: review\n", "    route: benign\n")));
    assertEquals(
        List.of("guardrails[0].route"),
        e.problems().stream().map(PolicyDocumentException.Problem::path).toList());
  }

  @Test
  void parse_duplicateKey_isRefusedWithPosition() {
    var e =
        assertThrows(
            PolicyDocumentException.class,
            () -> PolicyParser.parse("dup.yaml", MINIMAL + "id: again\n"));
    assertTrue(e.getMessage().contains("line"), e.getMessage());
  }

  @Test
  void parse_notYaml_isRefusedWithPosition() {
    var e =
        assertThrows(PolicyDocumentException.class, () -> PolicyParser.parse("x", "id: [unclosed"));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void parse_loneSurrogateEscapedInYamlOrJson_isAProblemNamingTheField() {
    // Both parsers decode the escape to half a character; the content hash cannot cover it.
    for (String doc :
        List.of(
            MINIMAL + "description: \"bad \\ud800\"\n",
            """
            {"version": 3, "id": "p", "scope": {"models": ["m"]}, "inputs": {"amount": "number"},
             "description": "bad \\udc00",
             "rules": [{"route": "review", "id": "big", "condition": "input.amount > 10",
                        "review": {"queue": "q", "reviewers": 2, "sla": "PT2H", "blind": true}}]}
            """)) {
      var e = assertThrows(PolicyDocumentException.class, () -> PolicyParser.parse("x", doc));
      assertEquals(
          List.of("description"),
          e.problems().stream().map(PolicyDocumentException.Problem::path).toList());
      assertTrue(e.getMessage().contains("unpaired UTF-16 surrogate"), e.getMessage());
    }
  }
}
