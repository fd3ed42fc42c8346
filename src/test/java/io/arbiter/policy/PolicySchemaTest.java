package io.arbiter.policy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.arbiter.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The JSON Schema served at {@code /api/v1/policies/schema} agrees with the parser: a third-party
 * validator (networknt, draft 2020-12) accepts what the parser accepts and refuses, for each kind
 * of structural mistake, what the parser refuses. CEL type errors are beyond any schema.
 */
class PolicySchemaTest {

  private static final JsonSchema SCHEMA = schema();
  private static final String DEMO = Fixtures.resource("demo/policies/demo-credit.yaml");

  private static JsonSchema schema() {
    try (InputStream in =
        PolicySchemaTest.class.getResourceAsStream("/io/arbiter/policy/policy.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Set<ValidationMessage> schemaErrors(String yaml) {
    Object document = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    JsonNode json = new ObjectMapper().valueToTree(document);
    return SCHEMA.validate(json);
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("the demo policy", DEMO),
        Arguments.of(
            "with QA sampling and reason codes",
            DEMO.replace(
                    "\nversion: 1\n", "\nversion: 1\nqaSampling: 0.05\nreasonCodes: [a, b.c]\n")
                .replace("blind: true}", "blind: true, reasonCodes: [a]}")),
        Arguments.of(
            "with reason codes plain and labelled",
            DEMO.replace(
                    "\nversion: 1\n",
                    "\nversion: 1\nreasonCodes: [a, {code: b, label: Bee}, {code: c, label: C,"
                        + " definition: When it is c.}]\n")
                .replace("blind: true}", "blind: true, reasonCodes: [b]}")),
        Arguments.of(
            "with fail-safe settings and a string version",
            DEMO.replace(
                "\nversion: 1\n", "\nversion: \"2026.1\"\nfailSafe: {queue: fs, sla: PT1H30M}\n")),
        Arguments.of(
            "refusing undeclared inputs",
            DEMO.replace("\nversion: 1\n", "\nversion: 1\nundeclaredInputs: refuse\n")),
        Arguments.of(
            "with an optional input",
            DEMO.replace(
                "riskScore: number",
                "riskScore: number\n  region: {type: string, optional: true}\n"
                    + "  age: {type: integer}")),
        Arguments.of(
            "with an outcome vocabulary of three labels",
            """
            id: moderation
            version: 1
            scope: {models: [m]}
            vocabulary:
              outcomes: [keep, label, remove]
              labels: {spam: remove, hate: remove}
              positive: remove
            onReviewTimeout: label
            guardrails: [{id: g, condition: "true", route: label}]
            rules: [{id: r, condition: true, route: keep}]
            default: {route: remove}
            """),
        Arguments.of(
            "as JSON",
            """
            {"id": "p", "version": "1", "scope": {"models": ["m"]},
             "inputs": {"x": "integer"},
             "rules": [{"id": "r", "condition": "input.x > 1", "route": "approve"}],
             "default": {"route": "reject"}}"""));
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("an unknown field", DEMO + "\ncolour: blue\n"),
        Arguments.of("no scope", DEMO.replace("scope:\n  models: [demo-credit]\n", "")),
        Arguments.of("no models", DEMO.replace("models: [demo-credit]", "models: []")),
        Arguments.of(
            "a guardrail that approves",
            DEMO.replace(
                "condition: output.confidence < 0.6\n    route: review\n    review: {queue: low-confidence, reviewers: 1, sla: PT8H}",
                "condition: output.confidence < 0.6\n    route: approve")),
        Arguments.of(
            "review settings on an automated route",
            DEMO.replace("route: reject\n", "route: reject\n    review: {queue: q}\n")),
        Arguments.of("eleven reviewers", DEMO.replace("reviewers: 2", "reviewers: 11")),
        Arguments.of("an SLA that is no duration", DEMO.replace("sla: PT8H", "sla: 8 hours")),
        Arguments.of(
            "a sampling rate above 1",
            DEMO.replace("\nversion: 1\n", "\nversion: 1\nqaSampling: 1.5\n")),
        Arguments.of(
            "a reason code twice",
            DEMO.replace("\nversion: 1\n", "\nversion: 1\nreasonCodes: [a, a]\n")),
        Arguments.of(
            "a labelled reason code without its label",
            DEMO.replace("\nversion: 1\n", "\nversion: 1\nreasonCodes: [{code: a}]\n")),
        Arguments.of(
            "a reason code label over 120 characters",
            DEMO.replace(
                "\nversion: 1\n",
                "\nversion: 1\nreasonCodes: [{code: a, label: " + "x".repeat(121) + "}]\n")),
        Arguments.of(
            "a reason code label of two lines",
            DEMO.replace(
                "\nversion: 1\n", "\nversion: 1\nreasonCodes: [{code: a, label: \"a\\nb\"}]\n")),
        Arguments.of(
            "an unknown field in a reason code",
            DEMO.replace(
                "\nversion: 1\n", "\nversion: 1\nreasonCodes: [{code: a, label: A, note: n}]\n")),
        Arguments.of(
            "a labelled reason code in a review",
            DEMO.replace("blind: true}", "blind: true, reasonCodes: [{code: a, label: A}]}")),
        Arguments.of("a rule named default", DEMO.replace("id: large-amount", "id: default")),
        Arguments.of("an unknown input type", DEMO.replace("amount: number", "amount: money")),
        Arguments.of(
            "an optional flag that is not true or false",
            DEMO.replace("amount: number", "amount: {type: number, optional: \"yes\"}")),
        Arguments.of(
            "an input declaration without its type",
            DEMO.replace("amount: number", "amount: {optional: true}")),
        Arguments.of(
            "an unknown field in an input declaration",
            DEMO.replace("amount: number", "amount: {type: number, unit: EUR}")),
        Arguments.of("an unknown route", DEMO.replace("route: approve", "route: maybe")),
        Arguments.of(
            "a vocabulary of one outcome",
            DEMO.replace("\nversion: 1\n", "\nversion: 1\nvocabulary: {outcomes: [approve]}\n")),
        Arguments.of(
            "review as an outcome",
            DEMO.replace(
                "\nversion: 1\n", "\nversion: 1\nvocabulary: {outcomes: [approve, review]}\n")),
        Arguments.of(
            "keeping undeclared inputs",
            DEMO.replace("\nversion: 1\n", "\nversion: 1\nundeclaredInputs: keep\n")),
        Arguments.of(
            "a condition that is a number",
            DEMO.replace("condition: input.amount > 50000", "condition: 50000")),
        Arguments.of(
            "a rule without a condition",
            DEMO.replace("    condition: input.amount > 50000\n", "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void theSchemaAndTheParser_acceptTheSameDocuments(String name, String yaml) throws Exception {
    assertTrue(schemaErrors(yaml).isEmpty(), schemaErrors(yaml).toString());
    PolicyParser.parse(name, yaml);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void theSchemaAndTheParser_refuseTheSameMistakes(String name, String yaml) {
    assertTrue(
        yaml.length() != DEMO.length() || !yaml.equals(DEMO), "the fixture changed the demo");
    assertTrue(!schemaErrors(yaml).isEmpty(), "the schema accepted " + name);
    assertThrows(PolicyDocumentException.class, () -> PolicyParser.parse(name, yaml));
  }
}
