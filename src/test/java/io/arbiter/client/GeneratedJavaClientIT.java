package io.arbiter.client;

import static io.arbiter.client.ArbiterClients.as;
import static io.arbiter.client.ArbiterClients.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.client.api.DecisionsApi;
import io.arbiter.client.api.LedgerApi;
import io.arbiter.client.api.PoliciesApi;
import io.arbiter.client.api.ProvenanceApi;
import io.arbiter.client.api.RegistryApi;
import io.arbiter.client.api.ReviewsApi;
import io.arbiter.client.model.DataSource;
import io.arbiter.client.model.DataSourceRequest;
import io.arbiter.client.model.DataSourceRequestFieldsInner;
import io.arbiter.client.model.DatasetRequest;
import io.arbiter.client.model.DatasetVersion;
import io.arbiter.client.model.DatasetVersionRequest;
import io.arbiter.client.model.Decision;
import io.arbiter.client.model.DecisionReceipt;
import io.arbiter.client.model.DecisionRequest;
import io.arbiter.client.model.Feature;
import io.arbiter.client.model.FeatureRequest;
import io.arbiter.client.model.FeatureRequestDerivedFromInner;
import io.arbiter.client.model.ModelOutputRequest;
import io.arbiter.client.model.ModelVersion;
import io.arbiter.client.model.ModelVersionRef;
import io.arbiter.client.model.ModelVersionRequest;
import io.arbiter.client.model.ModelVersionRequestTrainedOnInner;
import io.arbiter.client.model.Outcome;
import io.arbiter.client.model.OutcomeRequest;
import io.arbiter.client.model.PolicyDocument;
import io.arbiter.client.model.PolicyVersion;
import io.arbiter.client.model.Problem;
import io.arbiter.client.model.Reason;
import io.arbiter.client.model.Receipt;
import io.arbiter.client.model.ReviewTask;
import io.arbiter.client.model.ReviewTaskSummary;
import io.arbiter.client.model.ShadowReport;
import io.arbiter.client.model.SparqlResults;
import io.arbiter.client.model.VerdictRequest;
import io.arbiter.testing.Api;
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.ResourceFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's scenarios, driven by the Java client the build generates from docs/openapi.json
 * (openapi-generator, library okhttp-gson), over HTTP against the deployed application: what a user
 * of that client gets. The generated models refuse answers with fields the document does not
 * declare, so a resource that answers other than it documents fails here too.
 *
 * <p>The test governs a model of its own with a policy of its own, so its lifecycle steps route no
 * other test's decisions.
 */
@ExtendWith(ArquillianExtension.class)
@Timeout(300)
class GeneratedJavaClientIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "client-it-" + TAG;
  private static final String POLICY = "client-it-policy-" + TAG;
  private static final String QUEUE = "client-it-" + TAG;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  /** The test's policy: two blind reviewers above {@code threshold}, else approve if affordable. */
  private static String policyYaml(String version, long threshold) {
    return """
        id: %s
        version: %s
        description: The generated Java client's own policy.
        scope:
          models: [%s]
        inputs:
          amount: number
          income: number
        rules:
          - id: large-amount
            description: Large loans get two blind reviewers.
            condition: input.amount > %d
            route: review
            review: {queue: %s, reviewers: 2, sla: PT24H, blind: true}
          - id: affordable
            description: Small relative to income.
            condition: input.amount <= input.income * 0.5
            route: approve
        default:
          route: review
          review: {queue: %s, reviewers: 1, sla: PT24H}
        """
        .formatted(POLICY, version, MODEL, threshold, QUEUE, QUEUE);
  }

  private static String policyJson(String version, long threshold) {
    return """
        {"id": "%s", "version": "%s", "description": "Version %s, sent as JSON.",
         "scope": {"models": ["%s"]},
         "inputs": {"amount": "number", "income": "number"},
         "rules": [
           {"id": "large-amount", "condition": "input.amount > %d", "route": "review",
            "review": {"queue": "%s", "reviewers": 2, "sla": "PT24H", "blind": true}},
           {"id": "affordable", "condition": "input.amount <= input.income * 0.5",
            "route": "approve"}],
         "default": {"route": "review",
                     "review": {"queue": "%s", "reviewers": 1, "sla": "PT24H"}}}"""
        .formatted(POLICY, version, version, MODEL, threshold, QUEUE, QUEUE);
  }

  private static DecisionRequest loan(String subject, long amount) {
    return new DecisionRequest()
        .model(new ModelVersionRef().name(MODEL).version("1"))
        .subject(subject)
        .input(Map.of("amount", amount, "income", 56000))
        .output(new ModelOutputRequest().label("approve").score(0.8).confidence(0.9));
  }

  private static Reason reason(String text) {
    return new Reason().reason(text);
  }

  @BeforeAll
  static void registerTheModel_andActivateItsPolicyFromYaml() throws Exception {
    ModelVersion model =
        new RegistryApi(as("data-steward"))
            .registerModelVersion(
                MODEL,
                new ModelVersionRequest()
                    .version("1")
                    .owner("arbiter-tests")
                    .description("The generated Java client's model."));
    assertEquals(MODEL, model.getName());

    ApiResponse<PolicyVersion> created =
        ArbiterClients.post(
            as("policy-author"),
            "/api/v1/policies",
            "application/yaml",
            policyYaml("1", 50000),
            PolicyVersion.class);
    assertEquals(201, created.getStatusCode());
    assertEquals(PolicyVersion.StateEnum.DRAFT, created.getData().getState());

    PoliciesApi approver = new PoliciesApi(as("policy-approver"));
    assertEquals(
        PolicyVersion.StateEnum.APPROVED,
        approver.approvePolicyVersion(POLICY, "1", reason("client IT")).getState());
    assertEquals(
        PolicyVersion.StateEnum.ACTIVE,
        approver.activatePolicyVersion(POLICY, "1", reason("client IT")).getState());
  }

  @Test
  void submit_automated_thenReceiptProvenanceIdSparqlAndExport() throws Exception {
    DecisionReceipt receipt =
        new DecisionsApi(as("integrator"))
            .submitDecision(loan("client-" + TAG + "-1", 12000), null);
    assertEquals(DecisionReceipt.StatusEnum.AUTOMATED, receipt.getStatus());
    assertEquals("approve", receipt.getRoute());
    assertEquals("affordable", receipt.getRule().getId());
    String id = receipt.getId();
    long written = receipt.getSequence();

    Decision decision = new DecisionsApi(as("integrator")).getDecision(id, null);
    assertEquals(Decision.StatusEnum.AUTOMATED, decision.getStatus());
    assertEquals(POLICY, decision.getPolicy().getId());

    Receipt proof = new DecisionsApi(as("integrator")).getDecisionReceipt(id);
    assertEquals(id, proof.getDecision());
    assertFalse(proof.getEntries().isEmpty(), proof::toString);
    assertNotNull(proof.getCheckpoint());

    String turtle =
        new ProvenanceApi(as("integrator", "text/turtle")).getDecisionProvenance(id, written);
    Model provenance = parse(turtle, Lang.TURTLE);
    assertTrue(
        provenance.containsResource(ResourceFactory.createResource(receipt.getIri())), turtle);

    String described =
        new ProvenanceApi(as("auditor", "text/turtle")).dereferenceIri("decisions", id, written);
    assertTrue(
        parse(described, Lang.TURTLE)
            .containsResource(ResourceFactory.createResource(receipt.getIri())),
        described);

    SparqlResults rows =
        new ProvenanceApi(as("auditor"))
            .sparqlPost(
                """
                PREFIX arb: <https://w3id.org/arbiter#>
                SELECT ?decision ?route WHERE {
                  ?decision arb:caseId "%s" ; arb:routedBy/arb:route ?route }"""
                    .formatted("client-" + TAG + "-1"),
                written,
                null,
                null,
                null,
                null);
    assertEquals(1, rows.getResults().getBindings().size(), rows::toString);
    assertEquals(
        receipt.getIri(), rows.getResults().getBindings().get(0).get("decision").getValue());

    String trig =
        new ProvenanceApi(as("auditor", "application/trig")).exportStore(null, null, null, written);
    Dataset export = DatasetFactory.create();
    RDFParser.create().source(new StringReader(trig)).lang(Lang.TRIG).parse(export);
    assertTrue(
        export.getUnionModel().containsResource(ResourceFactory.createResource(receipt.getIri())));
  }

  private static Model parse(String text, Lang lang) {
    Model model = ModelFactory.createDefaultModel();
    RDFParser.create().source(new StringReader(text)).lang(lang).parse(model);
    return model;
  }

  @Test
  void review_twoBlindReviewersDisagree_aLeadRules_andTheOutcomeIsRecorded() throws Exception {
    DecisionReceipt receipt =
        new DecisionsApi(as("integrator"))
            .submitDecision(loan("client-" + TAG + "-2", 90000), null);
    assertEquals(DecisionReceipt.StatusEnum.PENDING_REVIEW, receipt.getStatus());
    String decision = receipt.getId();

    ReviewsApi reviewer = new ReviewsApi(as("reviewer"));
    ReviewTaskSummary task =
        reviewer.listReviewTasks(null, 100, null, null, QUEUE, "open").getItems().stream()
            .filter(t -> t.getDecision().equals(decision))
            .findFirst()
            .orElseThrow();
    assertTrue(task.getBlind());
    assertEquals(2, task.getReviewersNeeded());
    ReviewTask seen = reviewer.getReviewTask(task.getId());
    assertTrue(seen.getModelOutputHidden());
    assertTrue(
        seen.getDecision() == null || seen.getDecision().getOutput() == null,
        "blind review withholds the model's output");

    // What a verdict may cite, as the task lists it: blind review names the rules neutrally.
    String code =
        seen.getReasonCodes() == null || seen.getReasonCodes().isEmpty()
            ? "too-large"
            : seen.getReasonCodes().get(0);
    List<String> rules = seen.getRules().subList(0, 1);

    ReviewsApi reviewer2 = new ReviewsApi(as("reviewer2"));
    reviewer.claimReviewTask(task.getId());
    reviewer2.claimReviewTask(task.getId());
    reviewer.submitVerdict(
        task.getId(),
        new VerdictRequest()
            .verdict("approve")
            .reasonCode(code)
            .rules(rules)
            .justification("Collateral covers it."));
    ReviewTask split =
        reviewer2.submitVerdict(
            task.getId(),
            new VerdictRequest()
                .verdict("reject")
                .reasonCode(code)
                .rules(rules)
                .justification("Above 1.5x income."));
    assertEquals(ReviewTaskSummary.StateEnum.ADJUDICATION, split.getTask().getState());

    ReviewTask ruled =
        new ReviewsApi(as("lead-reviewer"))
            .adjudicateReviewTask(
                task.getId(),
                new VerdictRequest()
                    .verdict("reject")
                    .reasonCode(code)
                    .rules(rules)
                    .justification("Exposure limit."));
    assertEquals(ReviewTaskSummary.StateEnum.SETTLED, ruled.getTask().getState());

    DecisionsApi integrator = new DecisionsApi(as("integrator"));
    Decision settled = integrator.getDecision(decision, "wait=10");
    assertEquals(Decision.StatusEnum.SETTLED, settled.getStatus());

    Outcome outcome =
        integrator.recordOutcome(
            decision,
            new OutcomeRequest()
                .outcome("reject")
                .observedAt(settled.getSubmittedAt().plusNanos(1_000_000))
                .note("client IT"));
    assertEquals("integrator", outcome.getRecordedBy());
  }

  @Test
  void policyLifecycle_jsonVersion_approvedShadowedReportedActivated() throws Exception {
    PoliciesApi author = new PoliciesApi(as("policy-author"));
    PolicyVersion draft =
        author.submitPolicyVersion(PolicyDocument.fromJson(policyJson("2", 10000)));
    assertEquals(PolicyVersion.StateEnum.DRAFT, draft.getState());
    assertEquals("policy-author", draft.getAuthor());

    PoliciesApi approver = new PoliciesApi(as("policy-approver"));
    approver.approvePolicyVersion(POLICY, "2", reason("client IT"));
    assertEquals(
        PolicyVersion.StateEnum.SHADOW,
        approver.shadowPolicyVersion(POLICY, "2", reason("client IT")).getState());

    DecisionReceipt underV1 =
        new DecisionsApi(as("integrator"))
            .submitDecision(loan("client-" + TAG + "-3", 20000), null);
    assertEquals("approve", underV1.getRoute());
    ShadowReport report =
        new PoliciesApi(as("auditor")).getShadowReport(POLICY, "2", null, null, null);
    assertEquals(1L, report.getCompared());
    assertEquals(0L, report.getAgreed());
    assertEquals(underV1.getId(), report.getDisagreements().get(0).getDecision());
    assertEquals("review", report.getDisagreements().get(0).getShadowRoute());

    assertEquals(
        PolicyVersion.StateEnum.ACTIVE,
        approver.activatePolicyVersion(POLICY, "2", reason("client IT")).getState());
    DecisionReceipt underV2 =
        new DecisionsApi(as("integrator"))
            .submitDecision(loan("client-" + TAG + "-4", 20000), null);
    assertEquals(DecisionReceipt.StatusEnum.PENDING_REVIEW, underV2.getStatus());
    assertEquals("2", underV2.getPolicy().getVersion());

    String version =
        new ProvenanceApi(as("auditor", "text/turtle"))
            .dereferenceNestedIri("policies", POLICY, "versions", "2", underV2.getSequence());
    assertTrue(
        parse(version, Lang.TURTLE)
            .containsResource(ResourceFactory.createResource(underV2.getPolicy().getIri())),
        version);

    // Leave version 1 active, as the other tests of this class expect.
    approver.activatePolicyVersion(POLICY, "1", reason("client IT rollback"));
  }

  @Test
  void registry_sourceDatasetVersionFeatureAndModel_registeredAndReadBack() throws Exception {
    RegistryApi steward = new RegistryApi(as("data-steward"));
    String source = "bureau-" + TAG;
    DataSource registered =
        steward.registerDataSource(
            new DataSourceRequest()
                .id(source)
                .title("Credit bureau")
                .fields(List.of(new DataSourceRequestFieldsInner().name("score"))));
    assertEquals("data-steward", registered.getRegisteredBy());
    assertEquals(registered.getIri(), steward.getDataSource(source).getIri());

    String dataset = "loans-" + TAG;
    io.arbiter.client.model.Dataset created =
        steward.registerDataset(new DatasetRequest().id(dataset).title("Loans"));
    assertEquals(dataset, created.getId());
    DatasetVersion version =
        steward.registerDatasetVersion(
            dataset,
            new DatasetVersionRequest()
                .version("1")
                .contentHash("sha256:" + "0f".repeat(32))
                .derivedFrom(List.of(source))
                .createdAt(OffsetDateTime.parse("2026-01-01T00:00:00Z")));
    assertEquals("1", version.getVersion());
    assertEquals(1, steward.getDataset(dataset).getVersions().size());

    Feature feature =
        steward.registerFeature(
            new FeatureRequest()
                .name("risk-" + TAG)
                .definition("score / 1000")
                .derivedFrom(
                    List.of(new FeatureRequestDerivedFromInner().source(source).field("score"))));
    assertEquals(feature.getIri(), steward.getFeature("risk-" + TAG).getIri());

    ModelVersion model =
        steward.registerModelVersion(
            MODEL,
            new ModelVersionRequest()
                .version("2")
                .owner("arbiter-tests")
                .trainedOn(
                    List.of(new ModelVersionRequestTrainedOnInner().dataset(dataset).version("1")))
                .features(List.of("risk-" + TAG)));
    assertEquals(model.getIri(), steward.getModelVersion(MODEL, "2").getIri());
    assertTrue(
        steward.listModelVersions().stream()
            .anyMatch(m -> m.getName().equals(MODEL) && m.getVersion().equals("2")));
  }

  @Test
  void errors_areApiExceptionsCarryingProblemJson() throws Exception {
    DecisionRequest unsure = loan("client-" + TAG + "-5", 1000);
    unsure.getOutput().confidence(2.0);
    ApiException invalid =
        assertThrows(
            ApiException.class,
            () -> new DecisionsApi(as("integrator")).submitDecision(unsure, null));
    assertEquals(422, invalid.getCode());
    Problem problem = problem(invalid);
    assertEquals("https://w3id.org/arbiter/problems/invalid-request", problem.getType().toString());
    assertTrue(
        problem.getErrors().stream().anyMatch(e -> e.getField().equals("output.confidence")),
        problem::toString);
    assertNotNull(problem.getTraceId());

    ApiException forbidden =
        assertThrows(
            ApiException.class,
            () ->
                new PoliciesApi(as("integrator")).approvePolicyVersion(POLICY, "1", reason("no")));
    assertEquals(403, forbidden.getCode());
    assertEquals(403, problem(forbidden).getStatus());
  }

  @Test
  void ledger_checkpointAndKey_arePublic() throws Exception {
    LedgerApi anonymous = new LedgerApi(as(null));
    String note = anonymous.getCheckpoint();
    assertTrue(note.contains("\n\n— "), note);
    assertFalse(anonymous.getLedgerKey().getVerifierKey().isEmpty());
  }
}
