package io.arbiter.decision;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Callers name only the tenants granted to them, over HTTP. The test server's grants
 * (src/test/liberty/tenants.yaml): integrator may name acme and eu-retail, integrator2 globex,
 * submitter-reviewer every tenant.
 */
@ExtendWith(ArquillianExtension.class)
class TenantGrantsIT {

  /** Case ids of every decision recorded for globex, asked as an auditor. A fixed query. */
  private static final String GLOBEX_CASES =
      """
      PREFIX arb: <https://w3id.org/arbiter#>
      SELECT ?case WHERE { ?decision a arb:Decision ; arb:tenant "globex" ; arb:caseId ?case }
      """;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  /** A clear case the demo policy approves (201), for a tenant if one is given. */
  private static String body(String subject, String tenant) {
    return """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "%s",%s
         "input": {"amount": 12000, "income": 56000, "riskScore": 0.1},
         "output": {"label": "approve", "score": 0.8, "confidence": 0.9}}"""
        .formatted(subject, tenant == null ? "" : " \"tenant\": \"" + tenant + "\",");
  }

  private static String unique() {
    return "it-tenant-" + UUID.randomUUID();
  }

  private static void assertTenantRefused(Reply reply) {
    assertEquals(403, reply.status(), reply.toString());
    assertTrue(reply.contentType().startsWith("application/problem+json"), reply.toString());
    JsonObject problem = reply.json();
    assertEquals("https://w3id.org/arbiter/problems/tenant-not-granted", problem.getString("type"));
    assertEquals(403, problem.getInt("status"));
    assertEquals(
        List.of("tenant"),
        problem.getJsonArray("errors").stream()
            .map(e -> e.asJsonObject().getString("field"))
            .toList());
    assertFalse(reply.body().contains("Exception"), reply.body());
  }

  private static List<String> subjects(Reply list) {
    assertEquals(200, list.status(), list.toString());
    return list.json().getJsonArray("items").stream()
        .map(item -> item.asJsonObject().getString("subject"))
        .toList();
  }

  private static String globexCases() {
    Reply cases = Api.sparql("auditor", GLOBEX_CASES, "application/sparql-results+json");
    assertEquals(200, cases.status(), cases.toString());
    return cases.body();
  }

  @Test
  void submit_forAGrantedTenant_isTakenAsBefore_andListedWithItsTenant() {
    String subject = unique();
    Reply created = postJson("/api/v1/decisions", "integrator", body(subject, "acme"));
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");

    JsonObject read = get("/api/v1/decisions/" + id, "integrator", "application/json").json();
    assertEquals("acme", read.getString("tenant"));
    JsonObject listed =
        get("/api/v1/decisions?tenant=acme&limit=500", "integrator", "application/json")
            .json()
            .getJsonArray("items")
            .stream()
            .map(item -> item.asJsonObject())
            .filter(item -> item.getString("id").equals(id))
            .findFirst()
            .orElseThrow();
    assertEquals("acme", listed.getString("tenant"));
    assertFalse(
        subjects(get("/api/v1/decisions?tenant=globex&limit=500", "auditor", "application/json"))
            .contains(subject),
        "the filter selects by tenant");

    String untenanted = unique();
    Reply plain = postJson("/api/v1/decisions", "integrator", body(untenanted, null));
    assertEquals(201, plain.status(), "a decision without a tenant is always allowed");
    JsonObject item =
        get("/api/v1/decisions?limit=500", "integrator", "application/json")
            .json()
            .getJsonArray("items")
            .stream()
            .map(i -> i.asJsonObject())
            .filter(i -> i.getString("subject").equals(untenanted))
            .findFirst()
            .orElseThrow();
    assertFalse(item.containsKey("tenant"), "no tenant, no field: " + item);
  }

  @Test
  void submit_forAnotherClientsTenant_is403_andRecordsNothing_norUsesTheKey() {
    String subject = unique();
    Reply refused =
        postJson(
            "/api/v1/decisions", "integrator", body(subject, "globex"), "Idempotency-Key", subject);
    assertTenantRefused(refused);

    assertFalse(
        subjects(get("/api/v1/decisions?limit=500", "auditor", "application/json"))
            .contains(subject),
        "no decision is listed");
    assertFalse(globexCases().contains(subject), "the graph holds no such decision");

    // The key was not consumed: another body under it is a new decision, not a conflict.
    Reply later =
        postJson(
            "/api/v1/decisions", "integrator", body(subject, null), "Idempotency-Key", subject);
    assertEquals(201, later.status(), later.toString());
    assertNull(later.header("Idempotent-Replayed"));
    assertFalse(globexCases().contains(subject));
  }

  @Test
  void eachCaller_namesOnlyItsOwnTenants_orAnyWithTheStar() {
    String theirs = unique();
    assertEquals(
        201, postJson("/api/v1/decisions", "integrator2", body(theirs, "globex")).status());
    assertTrue(globexCases().contains(theirs), "globex's own client records under globex");
    assertTenantRefused(postJson("/api/v1/decisions", "integrator2", body(unique(), "acme")));
    assertTenantRefused(postJson("/api/v1/decisions", "integrator2", body(unique(), "initech")));

    Reply any = postJson("/api/v1/decisions", "submitter-reviewer", body(unique(), "initech"));
    assertEquals(201, any.status(), any.toString());
  }

  @Test
  void list_badTenantFilter_is400NamingIt() {
    Reply bad = get("/api/v1/decisions?tenant=no%20spaces", "auditor", "application/json");
    assertEquals(400, bad.status(), bad.toString());
    assertEquals(
        "tenant",
        bad.json().getJsonArray("errors").getJsonObject(0).getString("field"),
        bad.toString());
  }

  @Test
  void openApi_documentsTheTenantFilterListFieldAndRefusal() {
    JsonObject openapi = get("/openapi", null, "application/json").json();
    assertTrue(
        openapi
            .getJsonObject("paths")
            .getJsonObject("/api/v1/decisions")
            .getJsonObject("get")
            .getJsonArray("parameters")
            .stream()
            .anyMatch(p -> p.asJsonObject().getString("name").equals("tenant")));
    assertTrue(
        openapi
            .getJsonObject("components")
            .getJsonObject("schemas")
            .getJsonObject("DecisionListItem")
            .getJsonObject("properties")
            .containsKey("tenant"));
    assertEquals(
        "#/components/responses/forbiddenTenant",
        openapi
            .getJsonObject("paths")
            .getJsonObject("/api/v1/decisions")
            .getJsonObject("post")
            .getJsonObject("responses")
            .getJsonObject("403")
            .getString("$ref"));
  }
}
