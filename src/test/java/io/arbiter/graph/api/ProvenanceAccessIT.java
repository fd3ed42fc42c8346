package io.arbiter.graph.api;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.ResourceFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.vocabulary.RDF;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PROV-AQ over HTTP (entity resources link to their provenance and to the query service, and the
 * links lead there) and the streamed export of the whole store.
 */
@ExtendWith(ArquillianExtension.class)
class ProvenanceAccessIT {

  private static final String ARB = "https://w3id.org/arbiter#";
  private static final String PROV = "http://www.w3.org/ns/prov#";
  private static final String HAS_PROVENANCE = PROV + "has_provenance";
  private static final String HAS_QUERY_SERVICE = PROV + "has_query_service";
  private static final Pattern LINK =
      Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"([^\"]*)\"\\s*;\\s*anchor=\"([^\"]*)\"");

  private static String decisionId;
  private static String decisionIri;
  private static String bundleIri;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @BeforeAll
  static void submitOne() {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "demo-credit", "version": "1"}, "subject": "prov-aq-%s",
             "input": {"amount": 90000, "income": 56000, "riskScore": {"value": 0.2, "source": "bureau"}},
             "output": {"label": "approve", "score": 0.8, "confidence": 0.9}}"""
                .formatted(UUID.randomUUID()));
    assertEquals(202, reply.status(), reply.toString());
    decisionId = reply.json().getString("id");
    decisionIri = reply.json().getString("iri");
    bundleIri = reply.json().getString("bundle");
  }

  /** A PROV-AQ link: where it leads, and what it is about. */
  record Link(String target, String anchor) {}

  /** The response's PROV-AQ links by relation; each relation once. */
  private static Map<String, Link> links(Reply reply) {
    Map<String, Link> links = new TreeMap<>();
    for (String value : reply.raw().headers().allValues("Link")) {
      Matcher m = LINK.matcher(value);
      while (m.find()) {
        Link previous = links.put(m.group(2), new Link(m.group(1), m.group(3)));
        assertEquals(null, previous, "one " + m.group(2) + " link");
      }
    }
    return links;
  }

  /**
   * Both links, anchored at {@code entity}, as an auditor or admin gets them; the query service is
   * the SPARQL endpoint.
   */
  private static Link assertLinks(Reply reply, String entity) {
    assertEquals(200, reply.status(), reply.toString());
    Map<String, Link> links = links(reply);
    assertEquals(List.of(HAS_PROVENANCE, HAS_QUERY_SERVICE), new ArrayList<>(links.keySet()));
    assertEquals(entity, links.get(HAS_PROVENANCE).anchor());
    assertEquals(new Link(Api.BASE + "/sparql", entity), links.get(HAS_QUERY_SERVICE));
    return links.get(HAS_PROVENANCE);
  }

  private static String path(String url) {
    assertTrue(url.startsWith(Api.BASE + "/"), url);
    return url.substring(Api.BASE.length());
  }

  private static Model turtle(Reply reply) {
    assertEquals(200, reply.status(), reply.toString());
    Model model = ModelFactory.createDefaultModel();
    RDFParser.fromString(reply.body(), Lang.TURTLE).parse(model);
    return model;
  }

  private static boolean typed(Model model, String iri, String type) {
    return model.contains(model.getResource(iri), RDF.type, model.getResource(type));
  }

  @Test
  void decision_linksToItsWholeStory_whichItsIntegratorCanFollow() {
    Reply reply = get("/api/v1/decisions/" + decisionId, "integrator", "application/json");
    assertEquals(200, reply.status(), reply.toString());
    Map<String, Link> links = links(reply);
    assertEquals(
        List.of(HAS_PROVENANCE),
        new ArrayList<>(links.keySet()),
        "no query service: integrators may not query the graph");
    Link provenance = links.get(HAS_PROVENANCE);
    assertEquals(decisionIri, provenance.anchor());
    assertEquals(Api.BASE + "/api/v1/decisions/" + decisionId + "/provenance", provenance.target());
    assertLinks(get("/api/v1/decisions/" + decisionId, "auditor", "application/json"), decisionIri);
    Model model = turtle(get(path(provenance.target()), "integrator", "text/turtle"));
    assertTrue(typed(model, decisionIri, ARB + "Decision"));
    assertTrue(typed(model, Api.BASE + "/id/reviews/" + decisionId, ARB + "ReviewTask"));
  }

  @Test
  void idResources_linkToTheirProvenance() {
    String decisionPath = path(decisionIri);
    Link decision = assertLinks(get(decisionPath, "auditor", "text/turtle"), decisionIri);
    assertEquals(Api.BASE + "/api/v1/decisions/" + decisionId + "/provenance", decision.target());

    String model = Api.BASE + "/id/models/demo-credit/versions/1";
    Link modelProvenance = assertLinks(get(path(model), "auditor", "application/n-triples"), model);
    assertEquals(model, modelProvenance.target(), "the dereference is the provenance");
    assertTrue(
        typed(
            turtle(get(path(modelProvenance.target()), "auditor", "text/turtle")),
            model,
            ARB + "ModelVersion"));

    Link bundle = assertLinks(get(path(bundleIri), "auditor", "application/trig"), bundleIri);
    assertEquals(bundleIri, bundle.target());
  }

  @Test
  void policyVersion_linksToItsLifecycle() {
    String version = Api.BASE + "/id/policies/demo-credit-policy/versions/1";
    Link provenance =
        assertLinks(
            get("/api/v1/policies/demo-credit-policy/versions/1", "auditor", "application/json"),
            version);
    Model model = turtle(get(path(provenance.target()), "auditor", "text/turtle"));
    assertTrue(typed(model, version, ARB + "PolicyVersion"), model.toString());
  }

  @Test
  void reviewTask_linksToItsSteps() {
    String task = Api.BASE + "/id/reviews/" + decisionId;
    Link provenance =
        assertLinks(get("/api/v1/reviews/" + decisionId, "auditor", "application/json"), task);
    assertEquals(task, provenance.target());
    Model model = turtle(get(path(provenance.target()), "auditor", "text/turtle"));
    assertTrue(typed(model, task, ARB + "ReviewTask"));
    assertEquals(403, get(path(provenance.target()), "reviewer", "text/turtle").status());
    assertEquals(
        Map.of(),
        links(get("/api/v1/reviews/" + decisionId, "reviewer", "application/json")),
        "a reviewer is not pointed at what would answer 403");
  }

  /** Every link a caller is sent leads somewhere that caller may read: none answers 403. */
  @Test
  void everyLinkSent_canBeFollowedByItsCaller() {
    String[][] reads = {
      {"/api/v1/decisions/" + decisionId, "integrator", "admin", "auditor"},
      {"/api/v1/reviews/" + decisionId, "reviewer", "lead-reviewer", "auditor", "admin"},
      {
        "/api/v1/policies/demo-credit-policy/versions/1",
        "policy-author",
        "policy-approver",
        "auditor",
        "admin"
      },
      {
        "/api/v1/registry/models/demo-credit/versions/1",
        "data-steward",
        "integrator",
        "policy-author",
        "auditor",
        "admin"
      },
    };
    int followed = 0;
    for (String[] read : reads) {
      for (int i = 1; i < read.length; i++) {
        String user = read[i];
        Reply reply = get(read[0], user, "application/json");
        assertEquals(200, reply.status(), user + " " + read[0] + ": " + reply);
        for (Link link : links(reply).values()) {
          Reply followedReply = get(path(link.target()), user, "text/turtle");
          assertEquals(
              200,
              followedReply.status(),
              user + " follows " + link.target() + " from " + read[0] + ": " + followedReply);
          followed++;
        }
      }
    }
    assertTrue(followed >= 10, "links were sent and followed: " + followed);
  }

  @Test
  void queryService_describesTheSparqlEndpoint() {
    Reply reply = get("/sparql", "auditor", "text/turtle");
    Model model = turtle(reply);
    String sd = "http://www.w3.org/ns/sparql-service-description#";
    var document = model.getResource(Api.BASE + "/sparql");
    assertTrue(model.contains(document, RDF.type, model.getResource(PROV + "ServiceDescription")));
    var service = document.getPropertyResourceValue(model.getProperty(PROV, "describesService"));
    assertTrue(model.contains(service, RDF.type, model.getResource(sd + "Service")));
    assertEquals(document, service.getPropertyResourceValue(model.getProperty(sd, "endpoint")));
    assertEquals(
        400,
        get("/sparql", "auditor", "application/sparql-results+json").status(),
        "asking for results without a query");
    Reply html = get("/sparql", "auditor", "text/html");
    assertEquals(406, html.status(), "a browser gets neither description nor results: " + html);
    assertEquals("application/problem+json", html.contentType(), html.toString());

    Reply xml = get("/sparql", "auditor", "application/rdf+xml");
    assertEquals(200, xml.status(), xml.toString());
    Model described = ModelFactory.createDefaultModel();
    RDFParser.fromString(xml.body(), Lang.RDFXML).parse(described);
    assertTrue(
        described.contains(
            described.getResource(Api.BASE + "/sparql#service"),
            described.getProperty(sd, "resultFormat"),
            described.getResource("http://www.w3.org/ns/formats/RDF_XML")),
        "RDF/XML is among the result formats the description names");
  }

  @Test
  void constructAndDescribe_answerInRdfXml() {
    String construct =
        "CONSTRUCT { ?d a <" + ARB + "Decision> } WHERE { BIND(<" + decisionIri + "> AS ?d) }";
    Reply reply =
        get(
            "/sparql?query=" + URLEncoder.encode(construct, StandardCharsets.UTF_8),
            "auditor",
            "application/rdf+xml");
    assertEquals(200, reply.status(), reply.toString());
    assertTrue(reply.contentType().startsWith("application/rdf+xml"), reply.contentType());
    Model model = ModelFactory.createDefaultModel();
    RDFParser.fromString(reply.body(), Lang.RDFXML).parse(model);
    assertTrue(typed(model, decisionIri, ARB + "Decision"), reply.body());

    Reply describe =
        get(
            "/sparql?query="
                + URLEncoder.encode("DESCRIBE <" + decisionIri + ">", StandardCharsets.UTF_8),
            "auditor",
            "application/rdf+xml");
    assertEquals(200, describe.status(), describe.toString());
    Model described = ModelFactory.createDefaultModel();
    RDFParser.fromString(describe.body(), Lang.RDFXML).parse(described);
    assertTrue(typed(described, decisionIri, ARB + "Decision"), describe.body());

    // RDF/XML cannot write a predicate without an XML local name: said before the 200, not after.
    String unwritable = "CONSTRUCT { ?d <urn:x:1> 1 } WHERE { BIND(<" + decisionIri + "> AS ?d) }";
    Reply refused =
        get(
            "/sparql?query=" + URLEncoder.encode(unwritable, StandardCharsets.UTF_8),
            "auditor",
            "application/rdf+xml");
    assertEquals(406, refused.status(), refused.toString());
    assertTrue(refused.json().getString("detail").contains("urn:x:1"), refused.toString());

    Reply provenance =
        get("/api/v1/decisions/" + decisionId + "/provenance", "integrator", "application/rdf+xml");
    assertEquals(200, provenance.status(), provenance.toString());
    Model merged = ModelFactory.createDefaultModel();
    RDFParser.fromString(provenance.body(), Lang.RDFXML).parse(merged);
    assertTrue(typed(merged, decisionIri, ARB + "Decision"));
  }

  @Test
  void export_streamsTheStoreAsTrigOrNQuads_toAuditorsAndAdmins() {
    Reply trig = get("/api/v1/export", "auditor", "application/trig");
    assertEquals(200, trig.status(), trig.toString());
    assertTrue(trig.contentType().startsWith("application/trig"), trig.contentType());
    Dataset dataset = DatasetFactory.create();
    RDFParser.fromString(trig.body(), Lang.TRIG).parse(dataset);
    assertTrue(
        typed(dataset.getNamedModel(bundleIri), decisionIri, ARB + "Decision"),
        "the decision's bundle is in the export");
    assertTrue(dataset.containsNamedModel(Api.BASE + "/id/ledger"), "with the ledger's entries");

    Reply quads = get("/api/v1/export?format=nquads&from=0&to=2", "admin", "*/*");
    assertEquals(200, quads.status(), quads.toString());
    assertTrue(quads.contentType().startsWith("application/n-quads"), quads.contentType());
    Dataset range = DatasetFactory.create();
    RDFParser.fromString(quads.body(), Lang.NQUADS).parse(range);
    List<String> names = new ArrayList<>();
    range.listNames().forEachRemaining(names::add);
    names.sort(null);
    assertEquals(3, names.size(), "two bundles and the ledger graph: " + names);
    assertTrue(names.contains(Api.BASE + "/id/ledger"), names.toString());
    var ledger = range.getNamedModel(Api.BASE + "/id/ledger");
    for (String name : names) {
      if (!name.endsWith("/id/ledger")) {
        long place =
            ledger
                .getRequiredProperty(ledger.getResource(name), ledger.getProperty(ARB + "sequence"))
                .getLong();
        assertTrue(place == 0 || place == 1, name + " is placed at " + place);
      }
    }

    assertEquals(403, get("/api/v1/export", "integrator", "application/trig").status());
    assertEquals(406, get("/api/v1/export", "auditor", "text/turtle").status());
    Reply bad = get("/api/v1/export?format=xml&from=-1", "auditor", "*/*");
    assertEquals(400, bad.status(), bad.toString());
    assertEquals(2, bad.json().getJsonArray("errors").size(), bad.toString());
    assertEquals(400, get("/api/v1/export?from=5&to=2", "auditor", "*/*").status());
  }

  /** The decision's provenance as TriG, one named graph per bundle. */
  private static Dataset bundles(String user) {
    Reply reply = get("/api/v1/decisions/" + decisionId + "/provenance", user, "application/trig");
    assertEquals(200, reply.status(), reply.toString());
    Dataset dataset = DatasetFactory.create();
    RDFParser.fromString(reply.body(), Lang.TRIG).parse(dataset);
    return dataset;
  }

  /** Each bundle's name, with the agents it is attributed to. */
  private static Map<String, List<String>> attributions(Dataset dataset) {
    Map<String, List<String>> agents = new TreeMap<>();
    dataset
        .listModelNames()
        .forEachRemaining(
            name ->
                agents.put(
                    name.getURI(),
                    dataset
                        .getNamedModel(name)
                        .listObjectsOfProperty(
                            name, ResourceFactory.createProperty(PROV + "wasAttributedTo"))
                        .mapWith(agent -> agent.asResource().getURI())
                        .toList()));
    return agents;
  }

  private static String nquads(Dataset dataset) {
    StringWriter out = new StringWriter();
    RDFDataMgr.write(out, dataset, Lang.NQUADS);
    return out.toString();
  }

  @Test
  void anIntegratorGetsTheBundlesOfItsOwnStepsAndArbiters_notTheReviewers() {
    String justification = "Payslips checked " + UUID.randomUUID();
    String task = "/api/v1/reviews/" + decisionId;
    Reply claim = postJson(task + "/claim", "reviewer", "");
    assertEquals(200, claim.status(), claim.toString());
    Reply verdict =
        postJson(
            task + "/verdict",
            "reviewer",
            """
            {"verdict": "approve", "reasonCode": "amount-check", "rules": ["%s"],
             "justification": "%s"}"""
                .formatted(Api.ruleAliasOf(decisionId), justification));
    assertEquals(200, verdict.status(), verdict.toString());
    String reviewer = Api.BASE + "/id/agents/reviewer";
    Set<String> integratorsOwn =
        Set.of(Api.BASE + "/id/agents/integrator", Api.BASE + "/id/agents/arbiter");

    // The auditor's: the reviewer's claim and verdict among the rest, with the justification.
    Dataset audited = bundles("auditor");
    Map<String, List<String>> auditedAgents = attributions(audited);
    assertEquals(
        2,
        auditedAgents.values().stream().filter(agents -> agents.contains(reviewer)).count(),
        auditedAgents.toString());
    assertTrue(nquads(audited).contains(justification));

    // The integrator's: the same bundles but the reviewer's, each whole.
    Dataset integrated = bundles("integrator");
    Map<String, List<String>> expected = new TreeMap<>(auditedAgents);
    expected.values().removeIf(agents -> !integratorsOwn.containsAll(agents));
    assertEquals(expected, attributions(integrated));
    assertTrue(expected.containsKey(bundleIri), "the submission's bundle: " + expected);
    for (String name : expected.keySet()) {
      assertTrue(
          audited.getNamedModel(name).isIsomorphicWith(integrated.getNamedModel(name)),
          name + " whole");
    }
    String text = nquads(integrated);
    assertFalse(text.contains(justification), "no justification");
    assertFalse(text.contains(reviewer), "no reviewer");
  }
}
