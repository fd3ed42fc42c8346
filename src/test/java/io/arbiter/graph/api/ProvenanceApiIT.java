package io.arbiter.graph.api;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static io.arbiter.testing.Api.sparql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.ResourceFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.vocabulary.RDF;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Provenance over HTTP: PROV-O by content negotiation, /id/** dereferencing, SPARQL, audit queries.
 */
@ExtendWith(ArquillianExtension.class)
class ProvenanceApiIT {

  private static final String ARB = "https://w3id.org/arbiter#";
  private static final String JSON_RESULTS = "application/sparql-results+json";

  private static String decisionId;
  private static String decisionIri;
  private static long decisionSequence;
  private static String bundleIri;
  private static String subject;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @BeforeAll
  static void submitOne() {
    subject = "prov-" + UUID.randomUUID();
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "%s",
         "input": {"amount": 90000, "income": 56000, "riskScore": {"value": 0.2, "source": "bureau"}},
         "output": {"label": "approve", "score": 0.8, "confidence": 0.9}}"""
                .formatted(subject));
    assertEquals(202, reply.status(), reply.toString());
    decisionId = reply.json().getString("id");
    decisionIri = reply.json().getString("iri");
    decisionSequence = reply.json().getJsonNumber("sequence").longValue();
    bundleIri = reply.json().getString("bundle");
  }

  private static Model parse(Reply reply, Lang lang) {
    Model model = ModelFactory.createDefaultModel();
    RDFParser.fromString(reply.body(), lang).parse(model);
    return model;
  }

  private static List<JsonObject> rows(Reply reply) {
    assertEquals(200, reply.status(), reply.toString());
    return reply.json().getJsonObject("results").getJsonArray("bindings").stream()
        .map(v -> v.asJsonObject())
        .toList();
  }

  private static String value(JsonObject row, String variable) {
    return row.getJsonObject(variable).getString("value");
  }

  @Test
  void provenance_inEveryGraphFormat_describesTheDecision() {
    for (var format :
        List.of(
            List.of("text/turtle", Lang.TURTLE),
            List.of("application/ld+json", Lang.JSONLD),
            List.of("application/n-triples", Lang.NTRIPLES))) {
      Reply reply =
          get(
              "/api/v1/decisions/" + decisionId + "/provenance",
              "integrator",
              (String) format.get(0));
      assertEquals(200, reply.status(), reply.toString());
      assertTrue(reply.contentType().startsWith((String) format.get(0)), reply.contentType());
      Model model = parse(reply, (Lang) format.get(1));
      var decision = model.getResource(decisionIri);
      assertTrue(
          model.contains(decision, RDF.type, model.getResource(ARB + "Decision")),
          format.get(0).toString());
      assertTrue(model.contains(decision, model.getProperty(ARB + "caseId"), subject));
      var routing = decision.getPropertyResourceValue(model.getProperty(ARB + "routedBy"));
      assertEquals(
          ARB + "RouteReview",
          routing.getPropertyResourceValue(model.getProperty(ARB + "route")).getURI());
    }
  }

  @Test
  void provenance_asTrig_keepsTheBundleAsANamedGraph() {
    Reply reply =
        get("/api/v1/decisions/" + decisionId + "/provenance", "auditor", "application/trig");
    assertEquals(200, reply.status(), reply.toString());
    Dataset dataset = DatasetFactory.create();
    RDFParser.fromString(reply.body(), Lang.TRIG).parse(dataset);
    assertTrue(dataset.containsNamedModel(bundleIri));
    assertTrue(
        dataset
            .getNamedModel(bundleIri)
            .contains(
                ResourceFactory.createResource(bundleIri),
                RDF.type,
                ResourceFactory.createResource("http://www.w3.org/ns/prov#Bundle")));
  }

  @Test
  void provenance_unacceptableFormat_is406() {
    Reply reply = get("/api/v1/decisions/" + decisionId + "/provenance", "auditor", "image/png");
    assertEquals(406, reply.status(), reply.toString());
    assertTrue(reply.contentType().startsWith("application/problem+json"));
    assertEquals(
        "https://w3id.org/arbiter/problems/not-acceptable", reply.json().getString("type"));
  }

  @Test
  void id_dereferencesDecisionModelAndBundleIris() {
    String path = decisionIri.substring(decisionIri.indexOf("/id/"));
    Model decision = parse(get(path, "auditor", "text/turtle"), Lang.TURTLE);
    assertTrue(
        decision.contains(
            decision.getResource(decisionIri), RDF.type, decision.getResource(ARB + "Decision")));

    Model model =
        parse(
            get("/id/models/demo-credit/versions/1", "auditor", "application/n-triples"),
            Lang.NTRIPLES);
    assertTrue(model.contains(null, RDF.type, model.getResource(ARB + "ModelVersion")));

    Reply bundle =
        get(bundleIri.substring(bundleIri.indexOf("/id/")), "auditor", "application/n-quads");
    assertEquals(200, bundle.status());
    assertTrue(bundle.body().contains("<" + bundleIri + "> ."), "quads name their bundle");

    assertEquals(404, get("/id/decisions/" + UUID.randomUUID(), "auditor", "text/turtle").status());
    assertEquals(404, get("/id/decisions/%3Cx%3E%22y", "auditor", "text/turtle").status());
    assertEquals(403, get(path, "integrator", "text/turtle").status());
    assertEquals(403, get(path, "policy-author", "text/turtle").status());
  }

  @Test
  void sparql_findsTheDecisionOverTheUnionOfBundles_inEveryResultFormat() {
    String query =
        "PREFIX arb: <" + ARB + "> SELECT ?d WHERE { ?d arb:caseId \"" + subject + "\" }";
    assertEquals(decisionIri, value(rows(sparql("auditor", query, JSON_RESULTS)).get(0), "d"));
    Reply xml = sparql("auditor", query, "application/sparql-results+xml");
    assertTrue(
        xml.contentType().startsWith("application/sparql-results+xml")
            && xml.body().contains(decisionIri));
    Reply csv = sparql("auditor", query, "text/csv");
    assertEquals("d\r\n" + decisionIri + "\r\n", csv.body());
    Reply tsv = sparql("auditor", query, "text/tab-separated-values");
    assertTrue(tsv.body().contains("<" + decisionIri + ">"), tsv.body());
  }

  /**
   * Read-your-writes over HTTP: a graph read says which event it reflects, waits on request for the
   * event its caller recorded, and refuses in time, with Retry-After, to wait for one not recorded.
   */
  @Test
  void graphReads_sayWhichEventTheyReflect_andWaitForOneOnRequest() {
    String ask =
        "/sparql?query="
            + URLEncoder.encode("ASK { <" + decisionIri + "> ?p ?o }", StandardCharsets.UTF_8);
    Reply waited =
        Api.send(
            Api.plainRequest(ask, "auditor")
                .header("Accept", JSON_RESULTS)
                .header("Arbiter-Wait-For-Sequence", Long.toString(decisionSequence))
                .GET()
                .build());
    assertEquals(200, waited.status(), waited.toString());
    assertTrue(waited.json().getBoolean("boolean"), "the caller's own decision is there");
    long reflected = Long.parseLong(waited.header("Arbiter-Graph-Sequence"));
    assertTrue(reflected >= decisionSequence, reflected + " < " + decisionSequence);

    long future = Api.latestEvent() + 1_000_000;
    Reply behind =
        Api.send(
            Api.plainRequest(ask, "auditor")
                .header("Accept", JSON_RESULTS)
                .header("Arbiter-Wait-For-Sequence", Long.toString(future))
                .GET()
                .build());
    assertEquals(503, behind.status(), behind.toString());
    assertTrue(behind.json().getString("type").endsWith("/projection-behind"), behind.toString());
    assertTrue(Integer.parseInt(behind.header("Retry-After")) > 0, behind.toString());

    Reply bad =
        Api.send(
            Api.plainRequest(ask, "auditor")
                .header("Accept", JSON_RESULTS)
                .header("Arbiter-Wait-For-Sequence", "soon")
                .GET()
                .build());
    assertEquals(400, bad.status(), bad.toString());
    assertEquals(
        "Arbiter-Wait-For-Sequence",
        bad.json().getJsonArray("errors").getJsonObject(0).getString("field"),
        bad.toString());
  }

  @Test
  void sparql_getAndDirectPost_work() {
    String query = "ASK { <" + decisionIri + "> ?p ?o }";
    Reply byGet =
        get(
            "/sparql?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8),
            "auditor",
            JSON_RESULTS);
    assertTrue(byGet.json().getBoolean("boolean"), byGet.toString());
    Reply direct =
        Api.send(
            Api.request("/sparql", "admin")
                .header("Content-Type", "application/sparql-query")
                .header("Accept", JSON_RESULTS)
                .POST(HttpRequest.BodyPublishers.ofString(query))
                .build());
    assertTrue(direct.json().getBoolean("boolean"), direct.toString());
  }

  @Test
  void sparql_construct_negotiatesRdfFormats() {
    String query = "CONSTRUCT { ?d ?p ?o } WHERE { BIND(<" + decisionIri + "> AS ?d) ?d ?p ?o }";
    for (var format :
        List.of(
            List.of("text/turtle", Lang.TURTLE),
            List.of("application/ld+json", Lang.JSONLD),
            List.of("application/n-triples", Lang.NTRIPLES))) {
      Model model = parse(sparql("auditor", query, (String) format.get(0)), (Lang) format.get(1));
      assertTrue(
          model.contains(
              model.getResource(decisionIri), model.getProperty(ARB + "caseId"), subject));
    }
  }

  @Test
  void sparql_isReadOnly() {
    String update = "INSERT DATA { <urn:x> <urn:y> <urn:z> }";
    Reply direct =
        Api.send(
            Api.request("/sparql", "auditor")
                .header("Content-Type", "application/sparql-update")
                .POST(HttpRequest.BodyPublishers.ofString(update))
                .build());
    assertEquals(400, direct.status(), direct.toString());
    assertEquals(
        "https://w3id.org/arbiter/problems/sparql-update-refused", direct.json().getString("type"));
    Reply form =
        Api.send(
            Api.request("/sparql", "auditor")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "update=" + URLEncoder.encode(update, StandardCharsets.UTF_8)))
                .build());
    assertEquals(
        "https://w3id.org/arbiter/problems/sparql-update-refused", form.json().getString("type"));
    Reply asQuery = sparql("auditor", update, JSON_RESULTS);
    assertEquals(
        "https://w3id.org/arbiter/problems/sparql-update-refused",
        asQuery.json().getString("type"));
    assertFalse(
        sparql("auditor", "ASK { <urn:x> ?p ?o }", JSON_RESULTS).json().getBoolean("boolean"));
  }

  @Test
  void sparql_needsTheAuditorOrAdminRole() {
    assertEquals(403, sparql("integrator", "ASK {}", JSON_RESULTS).status());
    assertEquals(403, sparql("reviewer", "ASK {}", JSON_RESULTS).status());
    assertEquals(401, sparql(null, "ASK {}", JSON_RESULTS).status());
  }

  @Test
  void sparql_runawayQuery_isCancelledAndTheServerStaysHealthy() {
    Reply reply =
        sparql(
            "auditor",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }",
            JSON_RESULTS);
    assertEquals(503, reply.status(), reply.toString());
    assertEquals("https://w3id.org/arbiter/problems/query-timeout", reply.json().getString("type"));
    Reply health = get("/health/ready", null, "application/json");
    assertEquals(200, health.status(), health.toString());
    assertEquals("UP", health.json().getString("status"));
    assertTrue(
        sparql("auditor", "ASK { <" + decisionIri + "> ?p ?o }", JSON_RESULTS)
            .json()
            .getBoolean("boolean"));
  }

  @Test
  void sparql_syntaxError_is400Problem() {
    Reply reply = sparql("auditor", "SELECT * WHERE { ?s ?p }", JSON_RESULTS);
    assertEquals(400, reply.status());
    assertEquals("https://w3id.org/arbiter/problems/sparql-syntax", reply.json().getString("type"));
  }

  // --- The audit query library (ontology/queries), run through /sparql with bound parameters.

  private static ParameterizedSparqlString auditQuery(String name) throws IOException {
    return new ParameterizedSparqlString(
        Files.readString(Path.of("ontology/queries", name + ".rq")));
  }

  @Test
  void auditQuery_decisionsByModelVersion_includesOurDecision() throws IOException {
    ParameterizedSparqlString query = auditQuery("decisions-by-model-version");
    query.setIri("modelVersion", Api.BASE + "/id/models/demo-credit/versions/1");
    Set<String> decisions = new HashSet<>();
    rows(sparql("auditor", query.toString(), JSON_RESULTS))
        .forEach(r -> decisions.add(value(r, "decision")));
    assertTrue(decisions.contains(decisionIri), decisions.toString());

    query.setIri("modelVersion", Api.BASE + "/id/models/demo-credit/versions/404");
    assertTrue(rows(sparql("auditor", query.toString(), JSON_RESULTS)).isEmpty());
  }

  @Test
  void auditQuery_decisionsByRule_findsDecisionsOfThatRuleOnly() throws IOException {
    ParameterizedSparqlString query = auditQuery("decisions-by-rule");
    query.setIri("policyVersion", Api.BASE + "/id/policies/demo-credit-policy/versions/1");
    query.setLiteral("ruleId", "large-amount");
    Set<String> decisions = new HashSet<>();
    rows(sparql("auditor", query.toString(), JSON_RESULTS))
        .forEach(r -> decisions.add(value(r, "decision")));
    assertTrue(decisions.contains(decisionIri), decisions.toString());

    query.setLiteral("ruleId", "affordable-low-risk");
    Set<String> others = new HashSet<>();
    rows(sparql("auditor", query.toString(), JSON_RESULTS))
        .forEach(r -> others.add(value(r, "decision")));
    assertFalse(others.contains(decisionIri));
  }

  @Test
  void auditQuery_decisionLineage_reachesSourcesModelPolicyRuleAndBundle() throws IOException {
    ParameterizedSparqlString query = auditQuery("decision-lineage");
    query.setIri("decision", decisionIri);
    Set<String> reached = new HashSet<>();
    rows(sparql("auditor", query.toString(), JSON_RESULTS))
        .forEach(
            r -> {
              reached.add(value(r, "subject"));
              reached.add(value(r, "object"));
            });
    for (String expected :
        List.of(
            Api.BASE + "/id/sources/bureau",
            Api.BASE + "/id/models/demo-credit/versions/1",
            Api.BASE + "/id/policies/demo-credit-policy/versions/1",
            Api.BASE + "/id/policies/demo-credit-policy/versions/1/rules/large-amount",
            Api.BASE + "/id/agents/integrator",
            bundleIri)) {
      assertTrue(reached.contains(expected), "lineage reaches " + expected);
    }
  }
}
