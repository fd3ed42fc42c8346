package io.arbiter.graph.prov;

import static io.arbiter.testing.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worked example of docs/ontology-extensions.md over HTTP: the test server loads
 * docs/examples/ontology-extensions (arbiter.ontology.extensions-dir in its bootstrap.properties).
 */
@ExtendWith(ArquillianExtension.class)
class OntologyExtensionsIT {

  private static final String EUAI = "https://example.org/ns/euai#";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static String decision(String subject, String tenant, String extensions) {
    return """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "%s", "tenant": "%s",
         "input": {"amount": 1000, "income": 100000, "riskScore": 0.1},
         "output": {"label": "approve", "score": 0.7, "confidence": 0.9}%s}
        """
        .formatted(subject, tenant, extensions == null ? "" : ", \"extensions\": " + extensions);
  }

  @Test
  void theOntologyInForce_includesTheExtension_forEveryRole() {
    Reply turtle = get("/api/v1/ontology", "reviewer", "text/turtle");
    assertEquals(200, turtle.status(), turtle.toString());
    assertTrue(turtle.contentType().startsWith("text/turtle"), turtle.contentType());
    assertTrue(turtle.body().contains("euai:riskClass"), "the extension's property");
    assertTrue(turtle.body().contains("arb:Decision"), "Arbiter's own ontology");
    Reply jsonLd = get("/api/v1/ontology", "integrator", "application/ld+json");
    assertEquals(200, jsonLd.status(), jsonLd.toString());
    assertTrue(
        jsonLd.body().contains(EUAI + "HighRisk") || jsonLd.body().contains("euai:HighRisk"));

    JsonObject listing =
        get("/api/v1/ontology/extensions", "policy-author", "application/json").json();
    assertEquals("euai.ttl", listing.getJsonArray("files").getJsonObject(0).getString("name"));
    assertEquals(EUAI, listing.getJsonObject("prefixes").getString("euai"));
    assertTrue(listing.getBoolean("shapes"));
    assertEquals("decisions-by-risk-class", listing.getJsonArray("queries").getString(0));
    assertEquals(
        401,
        Api.send(HttpRequest.newBuilder(java.net.URI.create(Api.BASE + "/api/v1/ontology")).build())
            .status());
  }

  @Test
  void openApi_documentsTheOntologyAndTheExtensionsField() {
    JsonObject openapi = get("/openapi", null, "application/json").json();
    JsonObject paths = openapi.getJsonObject("paths");
    assertTrue(paths.containsKey("/api/v1/ontology"), paths.keySet().toString());
    assertTrue(paths.containsKey("/api/v1/ontology/extensions"), paths.keySet().toString());
    JsonObject schemas = openapi.getJsonObject("components").getJsonObject("schemas");
    assertTrue(
        schemas
            .getJsonObject("DecisionRequest")
            .getJsonObject("properties")
            .containsKey("extensions"));
    assertTrue(
        schemas.getJsonObject("Decision").getJsonObject("properties").containsKey("extensions"),
        schemas.keySet().toString());
  }

  @Test
  void aDecisionWithARiskClass_isRecordedUnderTheExtensionsVocabulary_andFoundByItsQuery() {
    Reply submitted =
        Api.postJson(
            "/api/v1/decisions",
            "integrator",
            decision(
                "euai-ok",
                "eu-retail",
                "{\"euai:riskClass\": \"euai:HighRisk\", \"" + EUAI + "annexIIIPoint\": \"5(b)\"}"),
            "Idempotency-Key",
            "euai-ok-1");
    assertTrue(submitted.status() == 201 || submitted.status() == 202, submitted.toString());
    String id = submitted.json().getString("id");
    String iri = submitted.json().getString("iri");

    JsonObject read = get("/api/v1/decisions/" + id, "integrator", "application/json").json();
    JsonObject extensions = read.getJsonObject("extensions");
    assertEquals(EUAI + "HighRisk", extensions.getString(EUAI + "riskClass"));
    assertEquals("5(b)", extensions.getString(EUAI + "annexIIIPoint"));

    Reply ask =
        Api.sparql(
            "auditor",
            "ASK { <" + iri + "> <" + EUAI + "riskClass> <" + EUAI + "HighRisk> }",
            "application/sparql-results+json");
    assertEquals(200, ask.status(), ask.toString());
    assertTrue(ask.json().getBoolean("boolean"), "the triple is in the graph");

    Reply byClass =
        Api.postJson(
            "/api/v1/audit/queries/decisions-by-risk-class",
            "auditor",
            "{\"riskClass\": \"" + EUAI + "HighRisk\"}",
            "Accept",
            "text/csv");
    assertEquals(200, byClass.status(), byClass.toString());
    assertTrue(byClass.body().contains(id), byClass.body());
    assertTrue(byClass.body().contains("5(b)"), byClass.body());

    // The idempotency digest covers the extension values: another risk class is another request.
    Reply changed =
        Api.postJson(
            "/api/v1/decisions",
            "integrator",
            decision(
                "euai-ok",
                "eu-retail",
                "{\"euai:riskClass\": \"euai:LimitedRisk\", \""
                    + EUAI
                    + "annexIIIPoint\": \"5(b)\"}"),
            "Idempotency-Key",
            "euai-ok-1");
    assertEquals(409, changed.status(), changed.toString());
  }

  @Test
  void aDecisionThatBreaksTheShapes_isRefusedNamingTheField_andNothingIsRecorded() {
    Reply missing =
        Api.postJson(
            "/api/v1/decisions", "integrator", decision("euai-missing", "eu-retail", null));
    Reply prohibited =
        Api.postJson(
            "/api/v1/decisions",
            "integrator",
            decision(
                "euai-prohibited", "eu-retail", "{\"euai:riskClass\": \"euai:Unacceptable\"}"));
    Reply undeclared =
        Api.postJson(
            "/api/v1/decisions",
            "integrator",
            decision("euai-undeclared", "eu-retail", "{\"euai:riskLevel\": \"high\"}"));

    for (Reply refused : java.util.List.of(missing, prohibited, undeclared)) {
      assertEquals(422, refused.status(), refused.toString());
      assertTrue(refused.contentType().startsWith("application/problem+json"));
    }
    assertEquals(
        "extensions.euai:riskClass",
        missing.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    assertEquals(
        "extensions.euai:riskClass",
        prohibited.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    assertEquals(
        "extensions.euai:riskLevel",
        undeclared.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    Reply found =
        Api.sparql(
            "auditor",
            "ASK { ?d <https://w3id.org/arbiter#caseId> ?case FILTER(STRSTARTS(?case, \"euai-\") && ?case != \"euai-ok\") }",
            "application/sparql-results+json");
    assertFalse(found.json().getBoolean("boolean"), "no refused decision is in the graph");
  }
}
