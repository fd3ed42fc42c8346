package io.arbiter.registry;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.Fixtures;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an auditor does with curl: a data steward registers sources, a dataset version, a feature
 * and a model version trained on it; an approver approves it; decisions are taken by it; then
 * lineage from a decision reaches its raw sources and the impact of the dataset counts its
 * decisions.
 */
@ExtendWith(ArquillianExtension.class)
class RegistryApiIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void aStewardRegistersWhatAModelLearntFromAndAnAuditorTracesItsDecisions() {
    // Unique names: other ITs share this server's store.
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String source = "bureau-" + tag;
    String dataset = "loans-" + tag;

    Reply forbidden =
        postJson("/api/v1/registry/sources", "integrator", "{\"id\": \"x\", \"title\": \"x\"}");
    assertEquals(403, forbidden.status(), forbidden.toString());

    Reply created =
        postJson(
            "/api/v1/registry/sources",
            "data-steward",
            """
            {"id": "%s", "title": "Credit bureau", "fields": [{"name": "score"}]}"""
                .formatted(source));
    assertEquals(201, created.status(), created.toString());
    assertTrue(created.header("Location").endsWith("/api/v1/registry/sources/" + source));
    String sourceIri = created.json().getString("iri");
    assertEquals("data-steward", created.json().getString("registeredBy"));

    Reply invalid =
        postJson(
            "/api/v1/registry/datasets/" + dataset + "/versions",
            "data-steward",
            "{\"version\": \"1\", \"contentHash\": \"nope\", \"derivedFrom\": [\""
                + source
                + "\"]}");
    assertEquals(422, invalid.status(), invalid.toString());
    assertTrue(invalid.contentType().startsWith("application/problem+json"));
    assertEquals(
        Set.of("contentHash"),
        invalid.json().getJsonArray("errors").stream()
            .map(e -> e.asJsonObject().getString("field"))
            .collect(Collectors.toSet()),
        invalid.toString());

    assertEquals(
        201,
        postJson(
                "/api/v1/registry/datasets",
                "data-steward",
                "{\"id\": \"" + dataset + "\", \"title\": \"Loan outcomes\"}")
            .status());
    Reply version =
        postJson(
            "/api/v1/registry/datasets/" + dataset + "/versions",
            "data-steward",
            """
            {"version": "1", "contentHash": "sha256:%s", "derivedFrom": ["%s"],
             "createdAt": "2026-01-01T00:00:00Z"}"""
                .formatted("0f".repeat(32), source));
    assertEquals(201, version.status(), version.toString());
    String datasetVersionIri = version.json().getString("iri");
    Reply feature =
        postJson(
            "/api/v1/registry/features",
            "data-steward",
            """
            {"name": "risk-%s", "definition": "score / 1000",
             "derivedFrom": [{"source": "%s", "field": "score"}]}"""
                .formatted(tag, source));
    assertEquals(201, feature.status(), feature.toString());

    String modelVersion = "r" + tag;
    Reply model =
        postJson(
            "/api/v1/registry/models/demo-credit/versions",
            "data-steward",
            """
            {"version": "%s", "owner": "credit-ml", "trainedOn": [{"dataset": "%s", "version": "1"}],
             "training": {"startedAt": "2026-02-01T00:00:00Z", "endedAt": "2026-02-01T01:00:00Z"},
             "metrics": {"auc": 0.8}, "features": ["risk-%s"]}"""
                .formatted(modelVersion, dataset, tag));
    assertEquals(201, model.status(), model.toString());
    assertEquals(
        403,
        postJson(
                "/api/v1/registry/models/demo-credit/versions/" + modelVersion + "/approval",
                "data-steward",
                "{}")
            .status(),
        "stewards do not approve");
    Reply approved =
        postJson(
            "/api/v1/registry/models/demo-credit/versions/" + modelVersion + "/approval",
            "policy-approver",
            "{\"note\": \"holdout checked\"}");
    assertEquals(200, approved.status(), approved.toString());
    assertEquals(
        "policy-approver", approved.json().getJsonObject("approval").getString("approvedBy"));
    Reply read =
        get(
            "/api/v1/registry/models/demo-credit/versions/" + modelVersion,
            "auditor",
            "application/json");
    assertEquals(0.8, read.json().getJsonObject("metrics").getJsonNumber("auc").doubleValue());
    assertTrue(
        read.raw().headers().allValues("Link").stream()
            .anyMatch(
                l ->
                    l.contains("rel=\"http://www.w3.org/ns/prov#has_provenance\"")
                        && l.contains("anchor=\"" + read.json().getString("iri") + "\"")),
        read.raw().headers().toString());
    Reply provenance =
        get("/id/models/demo-credit/versions/" + modelVersion, "auditor", "text/turtle");
    assertEquals(200, provenance.status(), provenance.toString());
    assertTrue(provenance.body().contains("Training"), "the training is in its provenance");

    Reply decision =
        postJson(
            "/api/v1/decisions",
            "integrator",
            Fixtures.requestJson(1000, 100000, 0.1, "approve", 0.9)
                .replace("\"version\": \"1\"", "\"version\": \"" + modelVersion + "\""));
    assertEquals(201, decision.status(), decision.toString());
    String decisionIri = decision.json().getString("iri");

    Reply lineage =
        get(
            "/api/v1/lineage?direction=upstream&depth=5&node=" + encode(decisionIri),
            "auditor",
            "application/json");
    assertEquals(200, lineage.status(), lineage.toString());
    Set<String> reached =
        lineage.json().getJsonArray("nodes").stream()
            .map(JsonValue::asJsonObject)
            .map(n -> n.getString("iri"))
            .collect(Collectors.toSet());
    assertTrue(reached.containsAll(Set.of(sourceIri, datasetVersionIri)), lineage.toString());

    Reply impact =
        get("/api/v1/lineage/impact?dataset=" + encode(dataset), "auditor", "application/json");
    assertEquals(200, impact.status(), impact.toString());
    JsonObject report = impact.json();
    assertEquals(1, report.getInt("decisions"), report.toString());
    assertEquals(1, report.getJsonArray("modelVersions").size());

    assertEquals(
        422, get("/api/v1/lineage?node=not-an-iri", "auditor", "application/json").status());
    assertEquals(
        404,
        get("/api/v1/lineage/impact?dataset=none-" + tag, "auditor", "application/json").status());
    assertEquals(
        403,
        get("/api/v1/lineage?node=" + encode(decisionIri), "integrator", "application/json")
            .status());
  }
}
