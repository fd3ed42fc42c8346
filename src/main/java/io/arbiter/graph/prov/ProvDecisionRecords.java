package io.arbiter.graph.prov;

import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionId;
import io.arbiter.decision.DecisionRecords;
import io.arbiter.decision.DecisionRequest;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.FeatureValue;
import io.arbiter.decision.GroundTruth;
import io.arbiter.decision.ModelOutput;
import io.arbiter.decision.PinnedFacts;
import io.arbiter.decision.PolicyRef;
import io.arbiter.decision.RecordedDecision;
import io.arbiter.decision.ShadowEvaluation;
import io.arbiter.decision.SubmissionHour;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.DriftFacts;
import io.arbiter.policy.Evaluation;
import io.arbiter.policy.EvaluationStep;
import io.arbiter.policy.Facts;
import io.arbiter.policy.ReviewSettings;
import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import io.arbiter.registry.ModelVersionRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QuerySolution;
import org.apache.jena.rdf.model.Literal;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.vocabulary.RDF;

/**
 * Reads decisions back from their {@code decision.submitted} bundles: the summary through one
 * SPARQL query (joining the model and policy versions recorded in their own bundles), the facts and
 * trace by walking the decision's bundle.
 */
public final class ProvDecisionRecords implements DecisionRecords {

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(ProvDecisionRecords.class.getName());

  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final String SUMMARIES =
      """
      SELECT ?bundle ?seq ?id ?case ?label ?confidence ?mv ?modelName ?modelVersion ?route ?kind
             ?ruleId ?policyId ?policyVersion ?at ?by ?key ?digest ?tenant
      WHERE {
        GRAPH ?bundle {
          ?bundle arb:eventType "decision.submitted" ; arb:eventSubject ?decision .
          ?decision dcterms:identifier ?id ; arb:caseId ?case ; arb:submittedAt ?at ;
                    arb:label ?label ; arb:confidence ?confidence ; arb:submittedBy ?agent ; prov:wasAttributedTo ?mv ; arb:routedBy ?routing .
          ?agent dcterms:identifier ?by .
          ?routing arb:route ?route ; arb:ruleKind ?kind .
          OPTIONAL { ?decision arb:idempotencyKey ?key ; arb:requestDigest ?digest }
          OPTIONAL { ?decision arb:tenant ?tenant }
        }
        # The bundle's place in the log: in the ledger graph (inside legacy bundles).
        ?bundle arb:sequence ?seq .
        # A version not registered when the decision came (it failed safe) has no registration
        # to read its name from; its IRI says it.
        OPTIONAL { ?mv dcat:version ?modelVersion ; dcterms:isVersionOf/dcterms:identifier ?modelName }
        # Each OPTIONAL binds its link and what the link points at together: an unbound ?plan or
        # ?rule must not match any resource that has a version or an identifier.
        OPTIONAL {
          GRAPH ?bundle { ?routing prov:qualifiedAssociation/prov:hadPlan ?plan }
          ?plan dcat:version ?policyVersion ; dcterms:isVersionOf/dcterms:identifier ?policyId
        }
        OPTIONAL {
          GRAPH ?bundle { ?routing arb:matchedRule|arb:failedRule ?rule }
          ?rule dcterms:identifier ?ruleId
        }
      }
      ORDER BY ?seq""";

  private static final String TRUTHS =
      """
      SELECT ?id ?route ?note ?observed ?by ?at ?revision ?reason
      WHERE {
        GRAPH ?bundle {
          ?bundle arb:eventType "decision.outcome" ; prov:generatedAtTime ?at ;
                  prov:wasAttributedTo/dcterms:identifier ?by .
          ?truth a arb:GroundTruth ; arb:outcomeOf ?decision ; arb:route ?route ;
                 prov:generatedAtTime ?observed .
          OPTIONAL { ?truth arb:note ?note }
          OPTIONAL { ?truth arb:outcomeRevision ?revision ; arb:correctionReason ?reason }
        }
        # The latest revision stands; corrected ones stay in the graph as history.
        FILTER NOT EXISTS { ?newer prov:wasRevisionOf ?truth }
        ?decision a arb:Decision ; dcterms:identifier ?id .
      }""";

  private static final String DESCRIBED_HOURS =
      """
      SELECT DISTINCT ?start
      WHERE { ?hour a arb:SubmissionHour ; arb:hourStart ?start }""";

  private static final String TALLIES =
      """
      SELECT ?start ?revision ?decisions
      WHERE {
        ?tally arb:tallyOf ?hour ; arb:tallyRevision ?revision ; arb:decisionCount ?decisions .
        FILTER NOT EXISTS { ?newer prov:wasRevisionOf ?tally }
        ?hour arb:hourStart ?start .
      }""";

  private static final String UNLINKED =
      """
      SELECT ?decision ?at
      WHERE {
        GRAPH ?bundle {
          ?bundle arb:eventType "decision.submitted" ; arb:eventSubject ?decision .
          ?decision arb:submittedAt ?at .
        }
        # Through the union: a legacy decision's link is in its hour's bundle, not its own.
        FILTER NOT EXISTS { ?decision arb:submittedInHour ?hour }
      }""";

  private static final String PINNED_FACTS =
      """
      SELECT ?decision ?facts
      WHERE { ?decision arb:pinnedFacts ?facts }""";

  private final GraphReads store;
  private final IriScheme iris;

  public ProvDecisionRecords(GraphReads store, IriScheme iris) {
    this.store = store;
    this.iris = iris;
  }

  @Override
  public void forEachSummary(Consumer<DecisionSummary> sink) {
    summaries(Sparql.prepare(SUMMARIES), sink);
  }

  @Override
  public void forEachTruth(java.util.function.BiConsumer<DecisionId, GroundTruth> sink) {
    store.query(
        Sparql.prepare(TRUTHS).asQuery(),
        Duration.ofMinutes(5),
        execution -> {
          execution
              .execSelect()
              .forEachRemaining(
                  row ->
                      sink.accept(
                          new DecisionId(row.getLiteral("id").getLexicalForm()),
                          new GroundTruth(
                              route(row.get("route")),
                              Optional.ofNullable(row.getLiteral("note"))
                                  .map(l -> l.getLexicalForm()),
                              Instant.parse(row.getLiteral("observed").getLexicalForm()),
                              row.getLiteral("by").getLexicalForm(),
                              Instant.parse(row.getLiteral("at").getLexicalForm()),
                              row.contains("revision") ? row.getLiteral("revision").getInt() : 1,
                              Optional.ofNullable(row.getLiteral("reason"))
                                  .map(l -> l.getLexicalForm()))));
          return null;
        });
  }

  @Override
  public java.util.Set<SubmissionHour> describedHours() {
    java.util.Set<SubmissionHour> hours = new java.util.HashSet<>();
    eachRow(DESCRIBED_HOURS, row -> hours.add(SubmissionHour.of(instant(row, "start"))));
    return hours;
  }

  @Override
  public Map<SubmissionHour, SubmissionHour.TallyState> talliedHours() {
    Map<SubmissionHour, SubmissionHour.TallyState> tallies = new HashMap<>();
    eachRow(
        TALLIES,
        row ->
            tallies.merge(
                SubmissionHour.of(instant(row, "start")),
                new SubmissionHour.TallyState(
                    row.getLiteral("revision").getInt(), row.getLiteral("decisions").getLong()),
                (a, b) -> a.revision() >= b.revision() ? a : b));
    return tallies;
  }

  @Override
  public void forEachUnlinked(java.util.function.BiConsumer<String, Instant> sink) {
    eachRow(UNLINKED, row -> sink.accept(row.getResource("decision").getURI(), instant(row, "at")));
  }

  private void eachRow(String query, Consumer<QuerySolution> sink) {
    eachRow(Sparql.prepare(query), sink);
  }

  private void eachRow(ParameterizedSparqlString query, Consumer<QuerySolution> sink) {
    store.query(
        query.asQuery(),
        TIMEOUT,
        execution -> {
          execution.execSelect().forEachRemaining(sink);
          return null;
        });
  }

  private static Instant instant(QuerySolution row, String column) {
    return Instant.parse(row.getLiteral(column).getLexicalForm());
  }

  @Override
  public Optional<RecordedDecision> load(DecisionId id) {
    ParameterizedSparqlString query = Sparql.prepare(SUMMARIES);
    query.setIri("decision", iris.decision(id.value()));
    List<DecisionSummary> found = new ArrayList<>();
    summaries(query, found::add);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    return load(found.get(0));
  }

  @Override
  public Optional<RecordedDecision> load(DecisionSummary summary) {
    return store
        .graph(summary.bundleIri())
        .map(
            graph -> {
              Model bundle = ModelFactory.createModelForGraph(graph);
              return new RecordedDecision(
                  decision(bundle, summary), summary.sequence(), summary.bundleIri());
            });
  }

  /**
   * One query per page reads each decision's pinned facts document; a decision recorded before
   * facts were pinned whole is rebuilt from its bundle's triples instead.
   */
  @Override
  public void loadPinned(List<DecisionSummary> summaries, Consumer<PinnedFacts> sink) {
    eachPinned(
        summaries,
        (summary, json) ->
            read(summary, json, () -> Facts.fromDocument((Map<?, ?>) JsonText.read(json))),
        (summary, facts) -> facts,
        (summary, facts) -> sink.accept(new PinnedFacts(summary, facts)));
  }

  @Override
  public void loadContexts(
      List<DecisionSummary> summaries,
      java.util.function.BiConsumer<DecisionSummary, Map<String, Object>> sink) {
    eachPinned(
        summaries,
        // The context member alone: parsing each document whole was a third of a context match.
        (summary, json) ->
            read(
                summary,
                json,
                () -> {
                  Map<String, Object> context = new TreeMap<>();
                  ((Map<?, ?>) JsonText.member(json, "context").orElseThrow())
                      .forEach((key, value) -> context.put((String) key, value));
                  return context;
                }),
        (summary, facts) -> facts.context(),
        sink);
  }

  /**
   * Walks the pinned facts documents of these summaries' decisions, read from one state of the
   * store, and hands each to {@code sink} in the summaries' order as {@code fromDocument} reads it;
   * a decision without a readable document is read from its triples ({@code fromFacts}).
   */
  private <T> void eachPinned(
      List<DecisionSummary> summaries,
      java.util.function.BiFunction<DecisionSummary, String, Optional<T>> fromDocument,
      java.util.function.BiFunction<DecisionSummary, Facts, T> fromFacts,
      java.util.function.BiConsumer<DecisionSummary, T> sink) {
    Map<String, DecisionSummary> byIri = new LinkedHashMap<>();
    summaries.forEach(summary -> byIri.put(iris.decision(summary.id().value()), summary));
    store.read(
        snapshot -> {
          Map<String, T> pinned = new HashMap<>();
          for (QuerySolution row :
              Sparql.rows(snapshot, PINNED_FACTS, "decision", byIri.keySet(), TIMEOUT)) {
            String iri = row.getResource("decision").getURI();
            fromDocument
                .apply(byIri.get(iri), row.getLiteral("facts").getLexicalForm())
                .ifPresent(read -> pinned.put(iri, read));
          }
          for (var entry : byIri.entrySet()) {
            DecisionSummary summary = entry.getValue();
            T found = pinned.get(entry.getKey());
            if (found != null) {
              sink.accept(summary, found);
              continue;
            }
            snapshot
                .triples(summary.bundleIri())
                .map(
                    triples -> {
                      Model bundle = ModelFactory.createDefaultModel();
                      triples.forEach(bundle.getGraph()::add);
                      return fromFacts.apply(summary, decision(bundle, summary).facts());
                    })
                .ifPresent(read -> sink.accept(summary, read));
          }
          return null;
        });
  }

  /** What {@code reading} makes of a pinned document; none, with a warning, when it cannot. */
  private static <T> Optional<T> read(
      DecisionSummary summary, String json, java.util.function.Supplier<T> reading) {
    try {
      return Optional.of(reading.get());
    } catch (IllegalArgumentException
        | ClassCastException
        | java.util.NoSuchElementException
        | jakarta.json.JsonException e) {
      LOG.warning(
          () ->
              "Decision "
                  + summary.id().value()
                  + ": its pinned facts document cannot be read; reading its facts from its"
                  + " triples");
      return Optional.empty();
    }
  }

  private void summaries(ParameterizedSparqlString query, Consumer<DecisionSummary> sink) {
    eachRow(query, row -> sink.accept(summary(row)));
  }

  private DecisionSummary summary(QuerySolution row) {
    Optional<Decision.Idempotency> idempotency =
        row.contains("key")
            ? Optional.of(new Decision.Idempotency(text(row, "key"), text(row, "digest")))
            : Optional.empty();
    Optional<PolicyRef> policy =
        row.contains("policyId")
            ? Optional.of(new PolicyRef(text(row, "policyId"), text(row, "policyVersion")))
            : Optional.empty();
    return new DecisionSummary(
        new DecisionId(text(row, "id")),
        text(row, "case"),
        modelVersion(row),
        row.contains("tenant") ? Optional.of(text(row, "tenant")) : Optional.empty(),
        route(row.getResource("route")),
        ruleKind(text(row, "kind")),
        row.contains("ruleId") ? Optional.of(text(row, "ruleId")) : Optional.empty(),
        text(row, "label"),
        row.getLiteral("confidence").getDouble(),
        policy,
        text(row, "by"),
        Instant.parse(text(row, "at")),
        idempotency,
        row.getLiteral("seq").getLong(),
        row.getResource("bundle").getURI(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private Decision decision(Model bundle, DecisionSummary summary) {
    Resource decision = bundle.getResource(iris.decision(summary.id().value()));
    Resource routing = decision.getPropertyResourceValue(Vocab.routedBy);
    Map<String, FeatureValue> input = new TreeMap<>();
    for (Resource node : objects(decision, Vocab.hasInput)) {
      Optional<String> source =
          Optional.ofNullable(node.getProperty(Vocab.source)).map(Statement::getString);
      input.put(
          node.getProperty(Vocab.name).getString(),
          new FeatureValue(value(node.getProperty(Vocab.value).getLiteral()), source));
    }
    Map<String, BigDecimal> explanation = new TreeMap<>();
    for (Resource node : objects(decision, Vocab.hasAttribution)) {
      explanation.put(
          node.getProperty(Vocab.name).getString(),
          new BigDecimal(node.getProperty(Vocab.weight).getLiteral().getLexicalForm()));
    }
    Map<String, Object> context = new TreeMap<>();
    for (Resource node : objects(decision, Vocab.hasContext)) {
      context.put(
          node.getProperty(Vocab.name).getString(),
          value(node.getProperty(Vocab.value).getLiteral()));
    }
    ModelOutput output =
        new ModelOutput(
            decision.getProperty(Vocab.label).getString(),
            decision.getProperty(Vocab.score).getDouble(),
            decision.getProperty(Vocab.confidence).getDouble(),
            explanation);
    DecisionRequest request =
        new DecisionRequest(
            summary.model(),
            summary.subject(),
            input,
            output,
            context,
            Optional.ofNullable(decision.getProperty(Vocab.tenant)).map(Statement::getString));
    List<ShadowEvaluation> shadows = new ArrayList<>();
    for (Resource activity : objects(decision, Vocab.shadowRoutedBy)) {
      String plan =
          activity
              .getPropertyResourceValue(Vocab.Prov.qualifiedAssociation)
              .getPropertyResourceValue(Vocab.Prov.hadPlan)
              .getURI();
      shadows.add(new ShadowEvaluation(policyRef(plan), shadowEvaluation(activity)));
    }
    shadows.sort(
        Comparator.comparing((ShadowEvaluation s) -> s.policy().id())
            .thenComparing(s -> s.policy().version()));
    Statement sampled = decision.getProperty(Vocab.qaSampled);
    Statement registered = decision.getProperty(Vocab.modelRegistered);
    Statement unapproved = decision.getProperty(Vocab.modelUnapproved);
    // Written only where the vocabulary maps the label to another outcome.
    Statement recommendation = routing.getProperty(Vocab.recommendation);
    return new Decision(
        summary.id(),
        request,
        drift(decision, routing),
        summary.submittedBy(),
        summary.submittedAt(),
        summary.idempotency(),
        summary.policy(),
        evaluation(routing, summary),
        shadows,
        sampled != null && sampled.getBoolean(),
        registered == null || registered.getBoolean(),
        unapproved != null && unapproved.getBoolean(),
        OntologyExtensions.valuesOn(decision),
        recommendation != null ? recommendation.getString() : request.output().label());
  }

  private ModelVersionRef modelVersion(QuerySolution row) {
    if (row.contains("modelName")) {
      return new ModelVersionRef(text(row, "modelName"), text(row, "modelVersion"));
    }
    String iri = row.getResource("mv").getURI();
    return iris.parseModelVersion(iri)
        .map(v -> new ModelVersionRef(v.name(), v.version()))
        .orElseThrow(() -> new IllegalStateException("not a model version IRI: " + iri));
  }

  /** The drift facts the decision was evaluated with; none when its model was not monitored. */
  private DriftFacts drift(Resource decision, Resource routing) {
    Optional<String> alarm =
        Optional.ofNullable(decision.getPropertyResourceValue(Vocab.duringDriftAlarm))
            .flatMap(a -> iris.parseDriftAlarm(a.getURI()));
    Statement json = routing.getProperty(Vocab.driftStatistics);
    if (json == null) {
      return new DriftFacts(alarm, Map.of(), Map.of());
    }
    Map<?, ?> statistics = (Map<?, ?>) JsonText.read(json.getString());
    return new DriftFacts(alarm, doubles(statistics.get("psi")), doubles(statistics.get("ks")));
  }

  private static Map<String, Double> doubles(Object json) {
    Map<String, Double> values = new TreeMap<>();
    ((Map<?, ?>) json).forEach((k, v) -> values.put((String) k, ((Number) v).doubleValue()));
    return values;
  }

  private PolicyRef policyRef(String versionIri) {
    return iris.parsePolicyVersion(versionIri)
        .map(v -> new PolicyRef(v.policyId(), v.version()))
        .orElseThrow(() -> new IllegalStateException("not a policy version IRI: " + versionIri));
  }

  /**
   * A shadow evaluation read back. Its rule is the first step of its trace that matched or failed
   * (steps after it are rules that also applied to its review); with none, the default route.
   */
  private static Evaluation shadowEvaluation(Resource activity) {
    List<EvaluationStep> trace = trace(activity.getProperty(Vocab.trace).getString());
    RuleKind kind = ruleKind(activity.getProperty(Vocab.ruleKind).getString());
    Optional<String> ruleId =
        trace.stream()
            .filter(
                step ->
                    step.outcome() == EvaluationStep.Outcome.MATCHED
                        || step.outcome() == EvaluationStep.Outcome.ERROR)
            .findFirst()
            .map(EvaluationStep::ruleId)
            .or(() -> Optional.of(io.arbiter.policy.DefaultRoute.ID));
    return new Evaluation(
        route(activity.getProperty(Vocab.route).getObject()),
        kind,
        ruleId,
        reviewSettings(activity),
        trace,
        Optional.ofNullable(activity.getProperty(Vocab.failure)).map(Statement::getString));
  }

  private static Optional<ReviewSettings> reviewSettings(Resource routing) {
    if (!routing.hasProperty(Vocab.reviewQueue)) {
      return Optional.empty();
    }
    return Optional.of(
        new ReviewSettings(
            routing.getProperty(Vocab.reviewQueue).getString(),
            routing.getProperty(Vocab.reviewersRequired).getInt(),
            Duration.parse(routing.getProperty(Vocab.reviewSla).getString()),
            routing.getProperty(Vocab.blindReview).getBoolean(),
            routing.listProperties(Vocab.reasonCode).mapWith(Statement::getString).toList()));
  }

  /**
   * The routing as its bundle records it: route, rule kind and rule are read from the bundle, not
   * taken from the in-memory summary, so a replay compares against what the graph says (a record
   * changed behind Arbiter's back shows as a difference).
   */
  private Evaluation evaluation(Resource routing, DecisionSummary summary) {
    Optional<ReviewSettings> review = reviewSettings(routing);
    Optional<String> failure =
        Optional.ofNullable(routing.getProperty(Vocab.failure)).map(Statement::getString);
    Resource rule =
        Optional.ofNullable(routing.getPropertyResourceValue(Vocab.matchedRule))
            .orElse(routing.getPropertyResourceValue(Vocab.failedRule));
    Optional<String> ruleId =
        rule == null || !rule.isURIResource()
            ? Optional.empty()
            : iris.parsePolicyRule(rule.getURI())
                .map(IriScheme.PolicyRuleIri::ruleId)
                .or(summary::ruleId);
    return new Evaluation(
        route(routing.getProperty(Vocab.route).getObject()),
        ruleKind(routing.getProperty(Vocab.ruleKind).getString()),
        ruleId,
        review,
        trace(routing.getProperty(Vocab.trace).getString()),
        failure);
  }

  @SuppressWarnings("unchecked")
  private static List<EvaluationStep> trace(String json) {
    List<EvaluationStep> steps = new ArrayList<>();
    for (Object item : (List<Object>) JsonText.read(json)) {
      Map<String, Object> step = (Map<String, Object>) item;
      steps.add(
          new EvaluationStep(
              (String) step.get("rule"),
              ruleKind((String) step.get("kind")),
              EvaluationStep.Outcome.valueOf(
                  ((String) step.get("outcome")).toUpperCase(Locale.ROOT).replace('-', '_')),
              Optional.ofNullable((String) step.get("detail"))));
    }
    return steps;
  }

  private static List<Resource> objects(Resource subject, Property property) {
    List<Resource> nodes = new ArrayList<>();
    subject.listProperties(property).forEachRemaining(s -> nodes.add(s.getResource()));
    return nodes;
  }

  /** The inverse of {@link ProvMapper#valueLiteral}. */
  static Object value(Literal literal) {
    String lexical = literal.getLexicalForm();
    String datatype = literal.getDatatypeURI();
    if (XSDDatatype.XSDinteger.getURI().equals(datatype)) {
      return new BigDecimal(new BigInteger(lexical));
    }
    if (XSDDatatype.XSDdecimal.getURI().equals(datatype)) {
      return new BigDecimal(lexical);
    }
    if (XSDDatatype.XSDboolean.getURI().equals(datatype)) {
      return literal.getBoolean();
    }
    if (RDF.dtRDFJSON.getURI().equals(datatype)) {
      return JsonText.read(lexical);
    }
    return lexical;
  }

  static Route route(RDFNode node) {
    String iri = node.asResource().getURI();
    if (Vocab.RouteApprove.getURI().equals(iri)) {
      return Route.APPROVE;
    }
    if (Vocab.RouteReject.getURI().equals(iri)) {
      return Route.REJECT;
    }
    if (Vocab.RouteReview.getURI().equals(iri)) {
      return Route.REVIEW;
    }
    return IriScheme.outcomeName(iri)
        .flatMap(Route::fromWireName)
        .orElseThrow(() -> new IllegalStateException("unknown route " + iri));
  }

  static RuleKind ruleKind(String wireName) {
    for (RuleKind kind : RuleKind.values()) {
      if (kind.wireName().equals(wireName)) {
        return kind;
      }
    }
    throw new IllegalStateException("unknown rule kind " + wireName);
  }

  private static String text(QuerySolution row, String variable) {
    RDFNode node = row.get(variable);
    return node.isLiteral() ? node.asLiteral().getLexicalForm() : node.asResource().getURI();
  }
}
