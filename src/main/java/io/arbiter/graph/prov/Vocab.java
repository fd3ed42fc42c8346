package io.arbiter.graph.prov;

import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.ResourceFactory;

/**
 * The terms Arbiter writes: its own ({@code arb:}, defined in {@code ontology/arbiter.ttl}) and the
 * standard ones it reuses by IRI (PROV-O, Dublin Core Terms, DCAT, SKOS). Every term here is
 * declared in the ontology and constrained in {@code ontology/shapes.ttl}.
 */
public final class Vocab {

  private Vocab() {}

  public static final String ARB = "https://w3id.org/arbiter#";
  public static final String PROV = "http://www.w3.org/ns/prov#";
  public static final String DCTERMS = "http://purl.org/dc/terms/";
  public static final String DCAT = "http://www.w3.org/ns/dcat#";
  public static final String SKOS = "http://www.w3.org/2004/02/skos/core#";
  public static final String DQV = "http://www.w3.org/ns/dqv#";

  private static Resource arbClass(String local) {
    return ResourceFactory.createResource(ARB + local);
  }

  private static Property arb(String local) {
    return ResourceFactory.createProperty(ARB + local);
  }

  private static Property prov(String local) {
    return ResourceFactory.createProperty(PROV + local);
  }

  /** PROV-O terms in use. */
  public static final class Prov {
    private Prov() {}

    public static final Resource Entity = ResourceFactory.createResource(PROV + "Entity");
    public static final Resource Activity = ResourceFactory.createResource(PROV + "Activity");
    public static final Resource Agent = ResourceFactory.createResource(PROV + "Agent");
    public static final Resource SoftwareAgent =
        ResourceFactory.createResource(PROV + "SoftwareAgent");
    public static final Resource Plan = ResourceFactory.createResource(PROV + "Plan");
    public static final Resource Bundle = ResourceFactory.createResource(PROV + "Bundle");
    public static final Resource Association = ResourceFactory.createResource(PROV + "Association");
    public static final Property wasGeneratedBy = prov("wasGeneratedBy");
    public static final Property wasAttributedTo = prov("wasAttributedTo");
    public static final Property wasAssociatedWith = prov("wasAssociatedWith");
    public static final Property wasDerivedFrom = prov("wasDerivedFrom");
    public static final Property used = prov("used");
    public static final Property qualifiedAssociation = prov("qualifiedAssociation");
    public static final Property agent = prov("agent");
    public static final Property hadPlan = prov("hadPlan");
    public static final Property generatedAtTime = prov("generatedAtTime");
    public static final Property startedAtTime = prov("startedAtTime");
    public static final Property endedAtTime = prov("endedAtTime");
    public static final Property specializationOf = prov("specializationOf");
    public static final Property wasRevisionOf = prov("wasRevisionOf");
    public static final Resource Attribution = ResourceFactory.createResource(PROV + "Attribution");
    public static final Resource Role = ResourceFactory.createResource(PROV + "Role");
    public static final Property qualifiedAttribution = prov("qualifiedAttribution");
    public static final Property hadRole = prov("hadRole");
    public static final Resource Person = ResourceFactory.createResource(PROV + "Person");
  }

  /** SKOS, for code lists. */
  public static final class Skos {
    private Skos() {}

    public static final Resource ConceptScheme =
        ResourceFactory.createResource(SKOS + "ConceptScheme");
    public static final Resource Concept = ResourceFactory.createResource(SKOS + "Concept");
    public static final Property inScheme = ResourceFactory.createProperty(SKOS + "inScheme");
    public static final Property hasTopConcept =
        ResourceFactory.createProperty(SKOS + "hasTopConcept");
    public static final Property notation = ResourceFactory.createProperty(SKOS + "notation");
    public static final Property prefLabel = ResourceFactory.createProperty(SKOS + "prefLabel");
    public static final Property definition = ResourceFactory.createProperty(SKOS + "definition");
  }

  /** Dublin Core Terms and DCAT terms in use. */
  public static final class Dc {
    private Dc() {}

    public static final Property identifier =
        ResourceFactory.createProperty(DCTERMS + "identifier");
    public static final Property description =
        ResourceFactory.createProperty(DCTERMS + "description");
    public static final Property isVersionOf =
        ResourceFactory.createProperty(DCTERMS + "isVersionOf");
    public static final Property version = ResourceFactory.createProperty(DCAT + "version");
    public static final Property title = ResourceFactory.createProperty(DCTERMS + "title");
    public static final Property isPartOf = ResourceFactory.createProperty(DCTERMS + "isPartOf");
    public static final Property temporal = ResourceFactory.createProperty(DCTERMS + "temporal");
    public static final Resource PeriodOfTime =
        ResourceFactory.createResource(DCTERMS + "PeriodOfTime");
    public static final Resource DcatDataset = ResourceFactory.createResource(DCAT + "Dataset");
    public static final Property startDate = ResourceFactory.createProperty(DCAT + "startDate");
    public static final Property endDate = ResourceFactory.createProperty(DCAT + "endDate");
  }

  /** Data Quality Vocabulary terms in use: drift statistics are quality measurements. */
  public static final class Dqv {
    private Dqv() {}

    public static final Resource QualityMeasurement =
        ResourceFactory.createResource(DQV + "QualityMeasurement");
    public static final Resource Metric = ResourceFactory.createResource(DQV + "Metric");
    public static final Property computedOn = ResourceFactory.createProperty(DQV + "computedOn");
    public static final Property isMeasurementOf =
        ResourceFactory.createProperty(DQV + "isMeasurementOf");
    public static final Property value = ResourceFactory.createProperty(DQV + "value");
    public static final Property hasQualityMeasurement =
        ResourceFactory.createProperty(DQV + "hasQualityMeasurement");
  }

  // Classes
  public static final Resource EventBundle = arbClass("EventBundle");
  public static final Resource Decision = arbClass("Decision");
  public static final Resource Inference = arbClass("Inference");
  public static final Resource Routing = arbClass("Routing");
  public static final Resource FeatureValue = arbClass("FeatureValue");
  public static final Resource ContextValue = arbClass("ContextValue");
  public static final Resource FeatureAttribution = arbClass("FeatureAttribution");
  public static final Resource DataSource = arbClass("DataSource");
  public static final Resource Model = arbClass("Model");
  public static final Resource ModelVersion = arbClass("ModelVersion");
  public static final Resource Policy = arbClass("Policy");
  public static final Resource PolicyVersion = arbClass("PolicyVersion");
  public static final Resource Guardrail = arbClass("Guardrail");
  public static final Resource Rule = arbClass("Rule");
  public static final Resource DefaultRule = arbClass("DefaultRule");

  // Routes: SKOS concepts of the scheme arb:Routes
  public static final Resource RouteApprove = arbClass("RouteApprove");
  public static final Resource RouteReject = arbClass("RouteReject");
  public static final Resource RouteReview = arbClass("RouteReview");

  // Outcome vocabularies: a SKOS concept scheme per policy version (OutcomeSchemes)
  public static final Resource LabelMapping = arbClass("LabelMapping");
  public static final Property outcomeScheme = arb("outcomeScheme");
  public static final Property reasonCodeScheme = arb("reasonCodeScheme");
  public static final Property positiveOutcome = arb("positiveOutcome");
  public static final Property labelMapping = arb("labelMapping");
  public static final Property modelLabel = arb("modelLabel");
  public static final Property recommends = arb("recommends");

  // Ledger entries (in the ledger graph, not in bundles)
  public static final Resource LedgerEntry = arbClass("LedgerEntry");
  public static final Property leafIndex = arb("leafIndex");
  public static final Property entryJson = arb("entryJson");
  public static final Property entryBundle = arb("entryBundle");
  public static final Property projectedRecords = arb("projectedRecords");

  // Event bundle metadata
  public static final Property sequence = arb("sequence");
  public static final Property eventType = arb("eventType");
  public static final Property eventSubject = arb("eventSubject");

  // Decisions
  public static final Property caseId = arb("caseId");
  public static final Property label = arb("label");
  public static final Property score = arb("score");
  public static final Property confidence = arb("confidence");
  public static final Property submittedAt = arb("submittedAt");
  public static final Property submittedBy = arb("submittedBy");
  public static final Property idempotencyKey = arb("idempotencyKey");
  public static final Property requestDigest = arb("requestDigest");
  public static final Property hasInput = arb("hasInput");
  public static final Property hasContext = arb("hasContext");
  public static final Property hasAttribution = arb("hasAttribution");
  public static final Property name = arb("name");
  public static final Property value = arb("value");
  public static final Property source = arb("source");
  public static final Property weight = arb("weight");
  public static final Property routedBy = arb("routedBy");
  public static final Property modelRegistered = arb("modelRegistered");
  public static final Property modelUnapproved = arb("modelUnapproved");
  public static final Property pinnedFacts = arb("pinnedFacts");
  public static final Property submittedInHour = arb("submittedInHour");

  // Submission hours: the index of decisions by time
  public static final Resource SubmissionHour = arbClass("SubmissionHour");
  public static final Property hourStart = arb("hourStart");
  public static final Property hourEnd = arb("hourEnd");
  public static final Resource HourTally = arbClass("HourTally");
  public static final Resource TallyCell = arbClass("TallyCell");
  public static final Property tallyOf = arb("tallyOf");
  public static final Property tallyRevision = arb("tallyRevision");
  public static final Property hasCell = arb("hasCell");
  public static final Property cellModelVersion = arb("cellModelVersion");
  public static final Property cellPolicyVersion = arb("cellPolicyVersion");
  public static final Property decisionCount = arb("decisionCount");
  public static final Property firstSubmittedAt = arb("firstSubmittedAt");
  public static final Property lastSubmittedAt = arb("lastSubmittedAt");

  // Routing
  public static final Property route = arb("route");
  public static final Property ruleKind = arb("ruleKind");
  public static final Property matchedRule = arb("matchedRule");
  public static final Property failedRule = arb("failedRule");
  public static final Property failSafe = arb("failSafe");
  public static final Property failure = arb("failure");
  public static final Property trace = arb("trace");
  public static final Property reviewQueue = arb("reviewQueue");
  public static final Property reviewersRequired = arb("reviewersRequired");
  public static final Property reviewSla = arb("reviewSla");
  public static final Property blindReview = arb("blindReview");

  // The registry: sources, datasets, features, model versions
  public static final Resource SourceField = arbClass("SourceField");
  public static final Resource Dataset = arbClass("Dataset");
  public static final Resource DatasetVersion = arbClass("DatasetVersion");
  public static final Resource Feature = arbClass("Feature");
  public static final Resource Training = arbClass("Training");
  public static final Resource ModelApproval = arbClass("ModelApproval");
  public static final Resource TrainerRole = arbClass("TrainerRole");
  public static final Property fieldType = arb("fieldType");
  public static final Property schema = arb("schema");
  public static final Property intendedUse = arb("intendedUse");
  public static final Property hyperParameters = arb("hyperParameters");
  public static final Property usesFeature = arb("usesFeature");

  // Models and policies
  public static final Property owner = arb("owner");
  public static final Property contentHash = arb("contentHash");
  public static final Property document = arb("document");
  public static final Property governs = arb("governs");
  public static final Property governsTenant = arb("governsTenant");
  public static final Property tenant = arb("tenant");
  public static final Property hasRule = arb("hasRule");
  public static final Property position = arb("position");
  public static final Property condition = arb("condition");
  public static final Property qaSampling = arb("qaSampling");
  public static final Property onReviewTimeout = arb("onReviewTimeout");
  public static final Property reasonCode = arb("reasonCode");

  // Policy lifecycle
  public static final Resource PolicyTransition = arbClass("PolicyTransition");
  public static final Resource PolicyApproval = arbClass("PolicyApproval");
  public static final Resource PolicyActivation = arbClass("PolicyActivation");
  public static final Resource PolicyShadowing = arbClass("PolicyShadowing");
  public static final Resource PolicyRetirement = arbClass("PolicyRetirement");
  public static final Property attributionRole = arb("attributionRole");
  public static final Resource AuthorRole = arbClass("PolicyAuthorRole");
  public static final Resource ApproverRole = arbClass("PolicyApproverRole");
  public static final Property transition = arb("transition");
  public static final Property endedActive = arb("endedActive");
  public static final Property endedShadow = arb("endedShadow");
  public static final Property reason = arb("reason");

  // Shadow evaluation and QA sampling of decisions
  public static final Resource ShadowRouting = arbClass("ShadowRouting");
  public static final Property shadowRoutedBy = arb("shadowRoutedBy");
  public static final Property qaSampled = arb("qaSampled");

  // Review tasks and their steps
  public static final Resource ReviewTask = arbClass("ReviewTask");
  public static final Resource ReviewStep = arbClass("ReviewStep");
  public static final Resource ReviewClaim = arbClass("ReviewClaim");
  public static final Resource ReviewRelease = arbClass("ReviewRelease");
  public static final Resource Review = arbClass("Review");
  public static final Resource Adjudication = arbClass("Adjudication");
  public static final Resource ReviewEscalation = arbClass("ReviewEscalation");
  public static final Resource ReviewTimeout = arbClass("ReviewTimeout");
  public static final Resource ReviewedDecision = arbClass("ReviewedDecision");
  public static final Resource QaFinding = arbClass("QaFinding");
  public static final Resource ReviewerRole = arbClass("ReviewerRole");
  public static final Resource AdjudicatorRole = arbClass("AdjudicatorRole");
  public static final Property reviewOf = arb("reviewOf");
  public static final Property taskKind = arb("taskKind");
  public static final Property priority = arb("priority");
  public static final Property deadline = arb("deadline");
  public static final Property recommendation = arb("recommendation");
  public static final Property claimExpires = arb("claimExpires");
  public static final Property verdict = arb("verdict");
  public static final Property reliedOnRule = arb("reliedOnRule");
  public static final Property justification = arb("justification");
  public static final Property sawRecommendation = arb("sawRecommendation");
  public static final Property fromQueue = arb("fromQueue");
  public static final Property toQueue = arb("toQueue");
  public static final Property settlement = arb("settlement");
  public static final Property settledBy = arb("settledBy");
  public static final Property overridesRecommendation = arb("overridesRecommendation");

  // Ground truth, learnt after the decision
  public static final Resource GroundTruth = arbClass("GroundTruth");
  public static final Property outcomeOf = arb("outcomeOf");
  public static final Property note = arb("note");
  public static final Property outcomeRevision = arb("outcomeRevision");
  public static final Property correctionReason = arb("correctionReason");

  // Drift: reference profiles, alarms, and the drift a decision was evaluated with
  public static final Resource ReferenceProfile = arbClass("ReferenceProfile");
  public static final Resource DriftAlarm = arbClass("DriftAlarm");
  public static final Resource PopulationStabilityIndex = arbClass("PopulationStabilityIndex");
  public static final Resource KolmogorovSmirnovStatistic = arbClass("KolmogorovSmirnovStatistic");
  public static final Property referenceFor = arb("referenceFor");
  public static final Property distributions = arb("distributions");
  public static final Property monitoredInput = arb("monitoredInput");
  public static final Property monitoredModel = arb("monitoredModel");
  public static final Property raisedWith = arb("raisedWith");
  public static final Property clearedWith = arb("clearedWith");
  public static final Property measuredInput = arb("measuredInput");
  public static final Property sampleSize = arb("sampleSize");
  public static final Property threshold = arb("threshold");
  public static final Property beyondThreshold = arb("beyondThreshold");
  public static final Property driftStatistics = arb("driftStatistics");
  public static final Property duringDriftAlarm = arb("duringDriftAlarm");

  // Service-level objectives and their breaches
  public static final Resource ServiceLevelObjective = arbClass("ServiceLevelObjective");
  public static final Resource SloBreach = arbClass("SloBreach");
  public static final Property objective = arb("objective");
  public static final Property objectiveKind = arb("objectiveKind");
  public static final Property target = arb("target");
  public static final Property latencyLimit = arb("latencyLimit");
  public static final Property bandMin = arb("bandMin");
  public static final Property bandMax = arb("bandMax");
  public static final Property window = arb("window");
  public static final Property breachedWith = arb("breachedWith");
  public static final Property recoveredWith = arb("recoveredWith");
  public static final Property goodEvents = arb("goodEvents");
  public static final Property burnRate = arb("burnRate");
}
