package io.arbiter.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.testing.Fixtures;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionRequestParserTest {

  private static DecisionRequest parse(String json) {
    return DecisionRequestParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static ProblemException refused(String json) {
    return assertThrows(ProblemException.class, () -> parse(json));
  }

  private static List<String> fields(ProblemException e) {
    return e.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void parse_fullRequest_keepsEveryFact() {
    DecisionRequest r = parse(Fixtures.requestJson(12000, 56000, 0.1, "approve", 0.9));
    assertEquals(new ModelVersionRef("demo-credit", "1"), r.model());
    assertEquals("case-12000", r.subject());
    assertEquals(
        new FeatureValue(new BigDecimal("12000.0"), Optional.empty()), r.input().get("amount"));
    assertEquals(
        new FeatureValue(new BigDecimal("0.1"), Optional.of("bureau")), r.input().get("riskScore"));
    assertEquals("approve", r.output().label());
    assertEquals(0.9, r.output().confidence());
    assertEquals(Map.of("income", new BigDecimal("0.4")), r.output().explanation());
    assertEquals(Map.of("kind", "web", "tags", List.of("a", "b")), r.context().get("channel"));
  }

  @Test
  void parse_extensions_keepsScalarsAndArraysAsSubmitted() {
    DecisionRequest r =
        parse(
            """
        {"model": {"name": "m", "version": 2}, "subject": "s", "input": {},
         "output": {"label": "x", "score": 1, "confidence": 0},
         "extensions": {"euai:riskClass": "euai:HighRisk", "https://example.org/ns#n": [1, true]}}""");
    assertEquals(
        Map.of(
            "euai:riskClass",
            "euai:HighRisk",
            "https://example.org/ns#n",
            List.of(new BigDecimal("1"), Boolean.TRUE)),
        r.extensions());
  }

  @Test
  void parse_extensionsThatAreNotScalars_areRefusedNamingTheField() {
    ProblemException e =
        refused(
            """
        {"model": {"name": "m", "version": 2}, "subject": "s", "input": {},
         "output": {"label": "x", "score": 1, "confidence": 0},
         "extensions": {"ex:a": {"b": 1}, "ex:c": [], "ex:d": null, "ex:e": [[1]]}}""");
    assertEquals(
        List.of("extensions.ex:a", "extensions.ex:c", "extensions.ex:d", "extensions.ex:e"),
        fields(e));
  }

  @Test
  void parse_integerVersion_isAccepted() {
    DecisionRequest r =
        parse(
            """
        {"model": {"name": "m", "version": 2}, "subject": "s", "input": {},
         "output": {"label": "x", "score": 1, "confidence": 0}}""");
    assertEquals("2", r.model().version());
    assertEquals(Map.of(), r.context());
  }

  @Test
  void parse_malformedJson_isMalformedWithPosition() {
    ProblemException e = refused("{\"model\": ");
    assertEquals(ProblemType.MALFORMED_JSON, e.type());
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void parse_duplicateKey_isMalformed() {
    assertEquals(
        ProblemType.MALFORMED_JSON, refused("{\"subject\": \"a\", \"subject\": \"b\"}").type());
  }

  @Test
  void parse_emptyBody_isMalformed() {
    assertEquals(ProblemType.MALFORMED_JSON, refused("").type());
  }

  @Test
  void parse_notAnObject_isInvalid() {
    ProblemException e = refused("[1, 2]");
    assertEquals(ProblemType.INVALID_REQUEST, e.type());
  }

  @Test
  void parse_missingFields_areEachNamed() {
    ProblemException e = refused("{}");
    assertEquals(ProblemType.INVALID_REQUEST, e.type());
    assertEquals(List.of("model", "subject", "input", "output"), fields(e));
  }

  @Test
  void parse_wrongTypes_areEachNamed() {
    ProblemException e =
        refused(
            """
        {"model": {"name": 7, "version": true}, "subject": ["s"], "input": [],
         "output": {"label": "x", "score": "high", "confidence": 1.5, "explanation": {"a": "b"}},
         "context": "eu"}""");
    assertEquals(
        List.of(
            "model.name",
            "model.version",
            "subject",
            "input",
            "output.score",
            "output.confidence",
            "output.explanation.a",
            "context"),
        fields(e));
  }

  @Test
  void parse_unknownFieldsAndNulls_areRefused() {
    ProblemException e =
        refused(
            """
        {"model": {"name": "m", "version": "1", "vendor": "x"}, "subject": "s",
         "input": {"a": null, "b": {"value": 1, "origin": "crm"}},
         "output": {"label": "x", "score": 1, "confidence": 0.5}, "imput": {}}""");
    assertEquals(List.of("imput", "model.vendor", "input.a", "input.b.origin"), fields(e));
  }

  @Test
  void parse_absurdNumber_isRefused() {
    ProblemException e =
        refused(
            """
        {"model": {"name": "m", "version": "1"}, "subject": "s", "input": {"a": 1e999999},
         "output": {"label": "x", "score": 1, "confidence": 0.5}}""");
    assertEquals(List.of("input.a"), fields(e));
  }

  @Test
  void parse_deepNesting_isRefused() {
    String deep = "[".repeat(40) + "]".repeat(40);
    ProblemException e =
        refused(
            """
        {"model": {"name": "m", "version": "1"}, "subject": "s", "input": {},
         "output": {"label": "x", "score": 1, "confidence": 0.5}, "context": {"d": %s}}"""
                .formatted(deep));
    assertTrue(fields(e).get(0).startsWith("context.d"), fields(e).toString());
  }

  @Test
  void parse_hugeNumberOrNesting_isMalformedNotAnInternalError() {
    String digits = "1".repeat(1200);
    assertEquals(ProblemType.MALFORMED_JSON, refused("{\"subject\": " + digits + "}").type());
    String deep = "[".repeat(1200) + "]".repeat(1200);
    assertEquals(ProblemType.MALFORMED_JSON, refused("{\"context\": " + deep + "}").type());
  }

  @Test
  void parse_badModelName_isRefused() {
    ProblemException e =
        refused(
            """
        {"model": {"name": "../etc", "version": "1"}, "subject": "s", "input": {},
         "output": {"label": "x", "score": 1, "confidence": 0.5}}""");
    assertEquals(List.of("model.name"), fields(e));
  }

  @Test
  void parse_loneSurrogateInAString_isRefusedNamingTheField() {
    // The body is valid JSON text and valid UTF-8: only the escape decodes to half a character.
    ProblemException e =
        refused(
            Fixtures.requestJson(12000, 56000, 0.1, "approve", 0.9)
                .replace("\"tags\": [\"a\", \"b\"]", "\"tags\": [\"a\", \"b\\ud800\"]"));
    assertEquals(ProblemType.INVALID_REQUEST, e.type());
    assertEquals(List.of("context.channel.tags[1]"), fields(e));
    assertTrue(e.errors().get(0).message().contains("unpaired UTF-16 surrogate"), e.getMessage());
  }

  @Test
  void parse_loneSurrogateInAMemberName_isRefusedNamingItsObject() {
    ProblemException e =
        refused(
            """
        {"model": {"name": "m", "version": 2}, "subject": "s", "input": {},
         "output": {"label": "x", "score": 1, "confidence": 0},
         "extensions": {"ex:\\udc00": "v"}}""");
    assertEquals(ProblemType.INVALID_REQUEST, e.type());
    assertEquals(List.of("extensions"), fields(e));
  }
}
