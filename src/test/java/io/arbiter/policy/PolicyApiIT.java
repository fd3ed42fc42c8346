package io.arbiter.policy;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.Fixtures;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.jena.query.ParameterizedSparqlString;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Policies as governed code over HTTP: a version goes draft → approved by someone else → shadow →
 * active → rolled back, each step visible in SPARQL; replay, backtest, shadow report and coverage
 * answer from what was recorded. The test leaves version 1 of the demo policy active, as it found
 * it, so other tests on the same server see the demo routing.
 */
@ExtendWith(ArquillianExtension.class)
class PolicyApiIT {

  private static final String POLICY = "demo-credit-policy";
  private static final String VERSIONS = "/api/v1/policies/" + POLICY + "/versions/";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static Reply postYaml(String user, String yaml) {
    return Api.send(
        Api.request("/api/v1/policies", user)
            .header("Content-Type", "application/yaml")
            .POST(HttpRequest.BodyPublishers.ofString(yaml))
            .build());
  }

  private static Reply step(String version, String transition, String user) {
    return step(version, transition, user, POLICY);
  }

  private static Reply step(String version, String transition, String user, String policy) {
    return postJson(
        "/api/v1/policies/" + policy + "/versions/" + version + "/" + transition,
        user,
        "{\"reason\": \"IT " + transition + "\"}");
  }

  private static String uniqueVersion() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Affordable, low risk, confident: approved under version 1, reviewed above 30000 in v2. */
  private static String decision(String subject) {
    return """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "%s",
         "input": {"amount": 40000, "income": 200000, "riskScore": 0.1},
         "output": {"label": "approve", "score": 0.8, "confidence": 0.9}}"""
        .formatted(subject);
  }

  private static void assertProblem(Reply reply, int status, String type) {
    assertEquals(status, reply.status(), reply.toString());
    assertTrue(reply.contentType().startsWith("application/problem+json"), reply.toString());
    assertEquals("https://w3id.org/arbiter/problems/" + type, reply.json().getString("type"));
  }

  private static List<List<String>> rows(String query) {
    Reply reply = Api.sparql("auditor", query, "application/sparql-results+json");
    assertEquals(200, reply.status(), reply.toString());
    var vars = reply.json().getJsonObject("head").getJsonArray("vars");
    return reply.json().getJsonObject("results").getJsonArray("bindings").stream()
        .map(JsonObject.class::cast)
        .map(
            binding ->
                vars.stream()
                    .map(v -> ((JsonString) v).getString())
                    .map(
                        v ->
                            binding.containsKey(v)
                                ? binding.getJsonObject(v).getString("value")
                                : "")
                    .toList())
        .toList();
  }

  @Test
  void schema_isPublished() {
    Reply reply = get("/api/v1/policies/schema", "policy-author", "application/schema+json");
    assertEquals(200, reply.status(), reply.toString());
    JsonObject schema = reply.json();
    assertEquals("https://json-schema.org/draft/2020-12/schema", schema.getString("$schema"));
    assertTrue(schema.getJsonObject("properties").containsKey("qaSampling"));
    assertTrue(schema.getJsonObject("properties").containsKey("guardrails"));
  }

  @Test
  void invalidDocument_namesTheRuleAndThePositionInTheExpression() {
    String broken =
        Fixtures.demoPolicyText(uniqueVersion(), 30000)
            .replace("input.amount > 30000", "input.amount > 'many'");
    Reply reply = postYaml("policy-author", broken);
    assertProblem(reply, 422, "invalid-policy");
    JsonObject error = reply.json().getJsonArray("errors").getJsonObject(0);
    assertTrue(error.getString("field").contains("large-amount"), reply.toString());
    assertTrue(
        error.getString("message").matches("(?s).*line \\d+, column \\d+.*"), reply.toString());
  }

  @Test
  void misspeltField_isNamedAsWrittenWithItsRuleLineAndColumn() {
    String broken =
        Fixtures.demoPolicyText(uniqueVersion(), 30000)
            .replace("condition: output.confidence < 0.6", "condition: output.confidnce < 0.6");
    Reply reply = postYaml("policy-author", broken);
    assertProblem(reply, 422, "invalid-policy");
    assertEquals(1, reply.json().getJsonArray("errors").size(), reply.toString());
    JsonObject error = reply.json().getJsonArray("errors").getJsonObject(0);
    assertEquals("guardrails[0] 'low-confidence'.condition", error.getString("field"));
    assertEquals(
        "line 1, column 1: undeclared reference to 'output.confidnce': output has confidence,"
            + " label, score; did you mean output.confidence?",
        error.getString("message"));
  }

  @Test
  void unquotedTrueCondition_isAccepted() {
    String version = uniqueVersion();
    String always =
        Fixtures.demoPolicyText(version, 30000)
            .replace("condition: input.amount > 30000", "condition: true");
    Reply reply = postYaml("policy-author", always);
    assertEquals(201, reply.status(), reply.toString());
    assertEquals(200, step(version, "retire", "policy-approver").status());
  }

  @Test
  void theAuthorCannotApproveTheirOwnVersion_evenHoldingTheApproverRole() {
    String version = uniqueVersion();
    assertEquals(201, postYaml("governor", Fixtures.demoPolicyText(version, 30000)).status());
    assertProblem(step(version, "approve", "governor"), 403, "separation-of-duties");
    assertProblem(step(version, "approve", "integrator"), 403, "forbidden");
    assertProblem(
        postYaml("integrator", Fixtures.demoPolicyText(uniqueVersion(), 1)), 403, "forbidden");
    assertEquals(
        "draft", get(VERSIONS + version, "auditor", "application/json").json().getString("state"));
    assertEquals(200, step(version, "retire", "policy-approver").status());
  }

  @Test
  void versionView_showsEverythingTheDocumentSays() {
    String policy = "everything-" + UUID.randomUUID().toString().substring(0, 8);
    String yaml =
        """
        id: %s
        version: 1
        description: Every section.
        scope: {models: [everything-model], tenants: [north]}
        inputs:
          radius: number
          site: {type: string, optional: true}
        undeclaredInputs: refuse
        vocabulary: {outcomes: [benign, malignant], labels: {B: benign}, positive: malignant}
        onReviewTimeout: malignant
        reasonCodes: [seen, unclear]
        guardrails:
          - {id: unsure, condition: output.confidence < 0.6, route: review,
             review: {queue: unsure, reviewers: 2, sla: PT8H, blind: true, reasonCodes: [unclear]}}
        rules:
          - {id: small, condition: input.radius < 10.0, route: benign, description: Small.}
        default: {route: review, review: {queue: general, sla: PT12H}}
        failSafe: {queue: fs, reviewers: 3, sla: PT1H}
        qaSampling: 0.05
        abstention: {labels: [unsure], confidenceBelow: 0.5}
        """
            .formatted(policy);
    Reply posted = postYaml("policy-author", yaml);
    assertEquals(201, posted.status(), posted.toString());
    JsonObject view =
        get("/api/v1/policies/" + policy + "/versions/1", "auditor", "application/json").json();

    assertEquals("Every section.", view.getString("description"));
    assertEquals(List.of("everything-model"), strings(view, "models"));
    assertEquals(List.of("north"), strings(view, "tenants"));
    assertEquals(
        "[{\"name\":\"radius\",\"optional\":false,\"type\":\"number\"},"
            + "{\"name\":\"site\",\"optional\":true,\"type\":\"string\"}]",
        sorted(view.getJsonArray("inputs")));
    assertEquals("refuse", view.getString("undeclaredInputs"));
    JsonObject vocabulary = view.getJsonObject("vocabulary");
    assertEquals(List.of("benign", "malignant"), strings(vocabulary, "outcomes"));
    assertEquals("benign", vocabulary.getJsonObject("labels").getString("B"));
    assertEquals("malignant", vocabulary.getString("positive"));
    assertEquals("malignant", view.getString("onReviewTimeout"));
    assertEquals(List.of("seen", "unclear"), strings(view, "reasonCodes"));
    JsonObject guardrail = view.getJsonArray("rules").getJsonObject(0);
    assertEquals("guardrail", guardrail.getString("kind"));
    assertEquals("output.confidence < 0.6", guardrail.getString("condition"));
    assertEquals(
        "{\"blind\":true,\"queue\":\"unsure\",\"reasonCodes\":[\"unclear\"],\"reviewers\":2,"
            + "\"sla\":\"PT8H\"}",
        sorted(guardrail.getJsonObject("review")));
    JsonObject rule = view.getJsonArray("rules").getJsonObject(1);
    assertEquals("benign", rule.getString("route"));
    assertEquals("Small.", rule.getString("description"));
    assertTrue(!rule.containsKey("review"), rule.toString());
    assertEquals(
        "{\"review\":{\"blind\":false,\"queue\":\"general\",\"reviewers\":1,\"sla\":\"PT12H\"},"
            + "\"route\":\"review\"}",
        sorted(view.getJsonObject("defaultRoute")));
    assertEquals(
        "{\"blind\":false,\"queue\":\"fs\",\"reviewers\":3,\"sla\":\"PT1H\"}",
        sorted(view.getJsonObject("failSafe")));
    assertEquals(0.05, view.getJsonNumber("qaSampling").doubleValue());
    assertEquals(List.of("unsure"), strings(view.getJsonObject("abstention"), "labels"));
    assertEquals(
        0.5, view.getJsonObject("abstention").getJsonNumber("confidenceBelow").doubleValue());
    assertEquals(200, step("1", "retire", "policy-approver", policy).status());
  }

  private static List<String> strings(JsonObject object, String key) {
    return object.getJsonArray(key).getValuesAs(JsonString.class).stream()
        .map(JsonString::getString)
        .toList();
  }

  /** The JSON text with every object's members in name order, to compare whole values. */
  private static String sorted(jakarta.json.JsonValue value) {
    return switch (value.getValueType()) {
      case OBJECT ->
          value.asJsonObject().entrySet().stream()
              .sorted(java.util.Map.Entry.comparingByKey())
              .map(e -> "\"" + e.getKey() + "\":" + sorted(e.getValue()))
              .collect(java.util.stream.Collectors.joining(",", "{", "}"));
      case ARRAY ->
          value.asJsonArray().stream()
              .map(PolicyApiIT::sorted)
              .collect(java.util.stream.Collectors.joining(",", "[", "]"));
      default -> value.toString();
    };
  }

  @Test
  void aVersionGoesDraftApprovedShadowActiveAndIsRolledBack_eachStepInSparql() throws IOException {
    String v2 = uniqueVersion();
    Instant started = Instant.now();

    Reply created = postYaml("policy-author", Fixtures.demoPolicyText(v2, 30000));
    assertEquals(201, created.status(), created.toString());
    assertEquals("draft", created.json().getString("state"));
    assertTrue(created.header("Location").endsWith(VERSIONS + v2), created.header("Location"));
    assertEquals(200, postYaml("policy-author", Fixtures.demoPolicyText(v2, 30000)).status());
    assertProblem(
        postYaml("policy-author", Fixtures.demoPolicyText(v2, 31000)), 409, "state-conflict");
    assertProblem(step(v2, "activate", "policy-approver"), 409, "state-conflict");

    Reply approved = step(v2, "approve", "policy-approver");
    assertEquals("approved", approved.json().getString("state"), approved.toString());
    assertEquals("policy-approver", approved.json().getString("approver"));
    assertEquals("shadow", step(v2, "shadow", "policy-approver").json().getString("state"));

    Reply underV1 = postJson("/api/v1/decisions", "integrator", decision("policy-it-1"));
    assertEquals(201, underV1.status(), "version 1 still routes: " + underV1);
    String firstId = underV1.json().getString("id");
    Reply shadow = get(VERSIONS + v2 + "/shadow-report", "auditor", "application/json");
    assertEquals(200, shadow.status(), shadow.toString());
    assertEquals(1, shadow.json().getInt("compared"));
    assertEquals(0, shadow.json().getInt("agreed"));
    var disagreement = shadow.json().getJsonArray("disagreements").getJsonObject(0);
    assertEquals(firstId, disagreement.getString("decision"));
    assertEquals("approve", disagreement.getString("route"));
    assertEquals("review", disagreement.getString("shadowRoute"));
    assertEquals("large-amount", disagreement.getString("shadowRule"));

    assertEquals("active", step(v2, "activate", "policy-approver").json().getString("state"));
    assertEquals(
        "approved", get(VERSIONS + "1", "auditor", "application/json").json().getString("state"));
    Reply underV2 = postJson("/api/v1/decisions", "integrator", decision("policy-it-2"));
    assertEquals(202, underV2.status(), "version " + v2 + " routes now: " + underV2);
    assertEquals(v2, underV2.json().getJsonObject("policy").getString("version"));

    Reply replay = postJson("/api/v1/decisions/" + firstId + "/replay", "auditor", "");
    assertEquals(200, replay.status(), replay.toString());
    assertTrue(replay.json().getBoolean("matches"), replay.toString());
    assertEquals("1", replay.json().getJsonObject("policy").getString("version"));

    Reply backtest =
        postJson(
            VERSIONS + "1/backtest",
            "policy-author",
            "{\"from\": \"" + started + "\", \"to\": \"" + Instant.now().plusSeconds(1) + "\"}");
    assertEquals(200, backtest.status(), backtest.toString());
    assertEquals(2, backtest.json().getInt("evaluated"), backtest.toString());
    assertEquals(1, backtest.json().getInt("changed"));
    assertEquals(1, backtest.json().getJsonObject("changedByRoutePair").getInt("review→approve"));
    assertEquals(
        underV2.json().getString("id"),
        backtest.json().getJsonArray("changes").getJsonObject(0).getString("decision"));

    Instant whileV2Active = Instant.now();
    Reply rolledBack = step("1", "activate", "policy-approver");
    assertEquals("active", rolledBack.json().getString("state"), rolledBack.toString());
    assertEquals(
        "approved", get(VERSIONS + v2, "auditor", "application/json").json().getString("state"));
    assertEquals("retired", step(v2, "retire", "policy-approver").json().getString("state"));

    String version = "<" + Api.BASE + "/id/policies/" + POLICY + "/versions/" + v2 + ">";
    assertEquals(
        List.of(
            List.of("approve", "policy-approver"),
            List.of("shadow", "policy-approver"),
            List.of("activate", "policy-approver"),
            List.of("retire", "policy-approver")),
        rows(
            """
            PREFIX arb: <https://w3id.org/arbiter#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?step ?who WHERE {
              ?activity a arb:PolicyTransition ; prov:used %s ; arb:transition ?step ;
                        prov:endedAtTime ?at ; prov:wasAssociatedWith/dcterms:identifier ?who .
            } ORDER BY ?at"""
                .formatted(version)));
    assertEquals(
        List.of(List.of("policy-author", "policy-approver")),
        rows(
            """
            PREFIX arb: <https://w3id.org/arbiter#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?author ?approver WHERE {
              %s prov:qualifiedAttribution [ arb:attributionRole arb:PolicyAuthorRole ;
                                             prov:agent/dcterms:identifier ?author ] ,
                                           [ arb:attributionRole arb:PolicyApproverRole ;
                                             prov:agent/dcterms:identifier ?approver ] ;
                 prov:wasRevisionOf ?previous .
            }"""
                .formatted(version)));
    // The rollback: activating version 1 ended v2's active period.
    assertEquals(
        List.of(List.of("1")),
        rows(
            """
            PREFIX arb: <https://w3id.org/arbiter#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            PREFIX dcat: <http://www.w3.org/ns/dcat#>
            SELECT ?v WHERE {
              ?activity a arb:PolicyActivation ; arb:endedActive %s ; prov:used/dcat:version ?v .
            }"""
                .formatted(version)));
    // Which version was active when: the shipped audit query, with its parameters bound.
    var activeAt =
        new ParameterizedSparqlString(
            Files.readString(Path.of("ontology/queries/policy-version-active-at.rq")));
    activeAt.setIri("policy", Api.BASE + "/id/policies/" + POLICY);
    activeAt.setLiteral(
        "at", whileV2Active.toString(), org.apache.jena.datatypes.xsd.XSDDatatype.XSDdateTime);
    assertEquals(v2, rows(activeAt.toString()).get(0).get(0));
    assertEquals(1, rows(activeAt.toString()).size());
    activeAt.setLiteral(
        "at", Instant.now().toString(), org.apache.jena.datatypes.xsd.XSDDatatype.XSDdateTime);
    assertEquals("1", rows(activeAt.toString()).get(0).get(0), "after the rollback");

    Reply coverage = get(VERSIONS + "1/coverage", "auditor", "application/json");
    assertEquals(200, coverage.status(), coverage.toString());
    assertTrue(coverage.json().getInt("decisions") >= 1);
    assertTrue(coverage.json().getJsonObject("matched").containsKey("affordable-low-risk"));
  }

  @Test
  void analysesRefuseBadInput_withProblems() {
    assertProblem(
        postJson("/api/v1/decisions/" + UUID.randomUUID() + "/replay", "auditor", ""),
        404,
        "not-found");
    assertProblem(
        postJson(
            VERSIONS + "1/backtest",
            "auditor",
            "{\"from\": \"2026-02-01T00:00:00Z\", \"to\": \"2026-01-01T00:00:00Z\"}"),
        422,
        "invalid-request");
    assertProblem(
        postJson(VERSIONS + "1/backtest", "auditor", "{\"since\": 1}"), 422, "invalid-request");
    assertProblem(
        get(VERSIONS + "1/shadow-report?limit=0", "auditor", "application/json"),
        400,
        "bad-request");
    assertProblem(
        get(VERSIONS + "1/backtest", "auditor", "application/json"), 405, "method-not-allowed");
    assertProblem(get(VERSIONS + "nope/coverage", "auditor", "application/json"), 404, "not-found");
    assertProblem(postJson(VERSIONS + "1/backtest", "integrator", "{}"), 403, "forbidden");
  }
}
