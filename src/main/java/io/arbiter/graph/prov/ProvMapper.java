package io.arbiter.graph.prov;

import io.arbiter.decision.Decision;
import io.arbiter.decision.FeatureValue;
import io.arbiter.decision.GroundTruth;
import io.arbiter.decision.PolicyRef;
import io.arbiter.decision.ShadowEvaluation;
import io.arbiter.decision.SubmissionHour;
import io.arbiter.drift.DriftAlarm;
import io.arbiter.drift.ReferenceJson;
import io.arbiter.drift.ReferenceProfile;
import io.arbiter.event.DomainEvent;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.DefaultRoute;
import io.arbiter.policy.DriftFacts;
import io.arbiter.policy.Evaluation;
import io.arbiter.policy.EvaluationStep;
import io.arbiter.policy.PolicyDocument;
import io.arbiter.policy.PolicyRegistered;
import io.arbiter.policy.PolicyRule;
import io.arbiter.policy.PolicyTransitioned;
import io.arbiter.policy.ReviewSettings;
import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import io.arbiter.registry.DataEntry;
import io.arbiter.registry.ModelRegistry;
import io.arbiter.registry.ModelVersion;
import io.arbiter.review.ReviewAssignment;
import io.arbiter.review.ReviewEvent;
import io.arbiter.review.Settlement;
import io.arbiter.review.TaskKind;
import io.arbiter.review.Verdict;
import io.arbiter.slo.Objective;
import io.arbiter.slo.SloBreach;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.rdf.model.Literal;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.ResourceFactory;
import org.apache.jena.vocabulary.RDF;

/**
 * Builds the PROV-O bundle of one event: the event's own triples plus the bundle's description
 * (type, subject, time, actor). Pure: the same event and event id give the same graph. Nothing in a
 * bundle depends on where the event lands in the log, so bundles are built and digested on the
 * callers' threads, before the journal numbers them; the sequence number is the ledger's, stated
 * beside the bundle in the ledger graph.
 *
 * <p>Every resource gets an IRI (no blank nodes), so bundles link to each other and canonical forms
 * stay simple. The mapping is documented in {@code docs/provenance.md}.
 */
public final class ProvMapper {

  private final IriScheme iris;

  public ProvMapper(IriScheme iris) {
    this.iris = iris;
  }

  /**
   * The bundle's triples, to be stored in the named graph {@code iris.bundle(eventId)}.
   *
   * @param eventId the event's id, unique in the log; it names the bundle and the steps the event
   *     adds to a review task or a policy version
   */
  public Graph bundle(DomainEvent event, String eventId) {
    Model model = ModelFactory.createDefaultModel();
    Resource bundle = model.createResource(iris.bundle(eventId));
    bundle.addProperty(RDF.type, Vocab.Prov.Bundle);
    bundle.addProperty(RDF.type, Vocab.EventBundle);
    bundle.addProperty(Vocab.eventType, event.type());
    bundle.addProperty(Vocab.eventSubject, model.createResource(event.subjectIri()));
    bundle.addLiteral(Vocab.Prov.generatedAtTime, time(model, event.time()));
    bundle.addProperty(Vocab.Prov.wasAttributedTo, agent(model, event.actor()));
    if (event instanceof Decision.Submitted submitted) {
      decision(model, submitted);
    } else if (event instanceof ModelVersion.Registered registered) {
      modelVersion(model, registered);
    } else if (event instanceof ModelVersion.Approved approved) {
      modelApproval(model, approved);
    } else if (event instanceof DataEntry.Registered registered) {
      dataEntry(model, registered);
    } else if (event instanceof PolicyRegistered registered) {
      policyVersion(model, registered);
    } else if (event instanceof PolicyTransitioned step) {
      policyTransition(model, step, eventId);
    } else if (event instanceof ReviewEvent step) {
      reviewStep(model, step, eventId);
    } else if (event instanceof GroundTruth.Recorded learnt) {
      groundTruth(model, learnt);
    } else if (event instanceof SubmissionHour.Indexed indexed) {
      submissionHour(model, indexed);
    } else if (event instanceof SubmissionHour.Tallied tallied) {
      hourTally(model, tallied);
    } else if (event instanceof ReferenceProfile.Registered registered) {
      referenceProfile(model, registered);
    } else if (event instanceof DriftAlarm alarm) {
      driftAlarm(model, alarm);
    } else if (event instanceof SloBreach breach) {
      sloBreach(model, breach);
    } else {
      throw new IllegalArgumentException("no PROV mapping for event type " + event.type());
    }
    // Each bundle states its PROV base classes itself, for PROV toolkits that read one graph at a
    // time and do not reason.
    ProvInterop.stateBaseClasses(model);
    return model.getGraph();
  }

  private void decision(Model model, Decision.Submitted event) {
    Decision decision = event.decision();
    var request = decision.request();
    String iri = event.subjectIri();
    Resource subject = model.createResource(iri);
    Resource inference = model.createResource(iri + "/inference");
    Resource routing = model.createResource(iri + "/routing");
    Resource modelVersion =
        model.createResource(
            iris.modelVersion(decision.model().name(), decision.model().version()));

    subject.addProperty(RDF.type, Vocab.Decision).addProperty(RDF.type, Vocab.Prov.Entity);
    subject.addProperty(Vocab.Dc.identifier, decision.id().value());
    subject.addProperty(Vocab.caseId, request.subject());
    request.tenant().ifPresent(tenant -> subject.addProperty(Vocab.tenant, tenant));
    subject.addProperty(Vocab.label, request.output().label());
    subject.addLiteral(
        Vocab.score, model.createTypedLiteral(request.output().score(), XSDDatatype.XSDdouble));
    subject.addLiteral(
        Vocab.confidence,
        model.createTypedLiteral(request.output().confidence(), XSDDatatype.XSDdouble));
    subject.addLiteral(Vocab.submittedAt, time(model, decision.submittedAt()));
    subject.addProperty(
        Vocab.submittedInHour,
        model.createResource(iris.hour(SubmissionHour.of(decision.submittedAt()).start())));
    subject.addProperty(Vocab.submittedBy, agent(model, decision.submittedBy()));
    subject.addProperty(Vocab.Prov.wasGeneratedBy, inference);
    subject.addProperty(Vocab.Prov.wasAttributedTo, modelVersion);
    subject.addProperty(Vocab.routedBy, routing);
    decision
        .idempotency()
        .ifPresent(
            i -> {
              subject.addProperty(Vocab.idempotencyKey, i.key());
              subject.addProperty(Vocab.requestDigest, i.requestDigest());
            });

    inference.addProperty(RDF.type, Vocab.Inference).addProperty(RDF.type, Vocab.Prov.Activity);
    inference.addProperty(Vocab.Prov.wasAssociatedWith, modelVersion);
    request
        .input()
        .forEach(
            (name, feature) -> {
              Resource input = featureValue(model, iri, name, feature);
              subject.addProperty(Vocab.hasInput, input);
              inference.addProperty(Vocab.Prov.used, input);
              routing.addProperty(Vocab.Prov.used, input);
            });
    request
        .output()
        .explanation()
        .forEach(
            (name, weight) -> {
              Resource attribution =
                  model.createResource(iri + "/explanation/" + IriScheme.segment(name));
              attribution
                  .addProperty(RDF.type, Vocab.FeatureAttribution)
                  .addProperty(RDF.type, Vocab.Prov.Entity);
              attribution.addProperty(Vocab.name, name);
              attribution.addLiteral(Vocab.weight, model.createTypedLiteral(weight));
              subject.addProperty(Vocab.hasAttribution, attribution);
            });
    request
        .context()
        .forEach(
            (name, value) -> {
              Resource entry = model.createResource(iri + "/context/" + IriScheme.segment(name));
              entry
                  .addProperty(RDF.type, Vocab.ContextValue)
                  .addProperty(RDF.type, Vocab.Prov.Entity);
              entry.addProperty(Vocab.name, name);
              entry.addLiteral(Vocab.value, valueLiteral(model, value));
              subject.addProperty(Vocab.hasContext, entry);
              routing.addProperty(Vocab.Prov.used, entry);
            });
    subject.addLiteral(Vocab.qaSampled, decision.qaSampled());
    subject.addLiteral(
        Vocab.pinnedFacts,
        model.createTypedLiteral(JsonText.write(decision.facts().document()), RDF.dtRDFJSON));
    if (!decision.modelRegistered()) {
      // Only the exception is written: a registered version is the rule, and intake pays per
      // triple.
      subject.addLiteral(Vocab.modelRegistered, false);
    }
    if (decision.modelUnapproved()) {
      subject.addLiteral(Vocab.modelUnapproved, true);
    }
    for (var extension : decision.extensions()) {
      subject.addProperty(
          model.createProperty(extension.property()), OntologyExtensions.node(model, extension));
    }
    drift(model, subject, routing, decision.drift());
    routing(model, routing, subject, decision);
    if (!decision.recommendation().equals(decision.request().output().label())) {
      // Only where the policy's vocabulary maps the label to another outcome: the label says it
      // everywhere else, and intake pays per triple.
      routing.addProperty(Vocab.recommendation, decision.recommendation());
    }
    ReviewAssignment.of(decision).ifPresent(task -> reviewTask(model, task, subject, routing));
    for (ShadowEvaluation shadow : decision.shadows()) {
      Resource activity =
          model.createResource(
              iri
                  + "/shadow/"
                  + IriScheme.segment(shadow.policy().id())
                  + "/"
                  + IriScheme.segment(shadow.policy().version()));
      activity.addProperty(RDF.type, Vocab.ShadowRouting);
      subject.addProperty(Vocab.shadowRoutedBy, activity);
      request.input().keySet().stream()
          .map(name -> model.createResource(iri + "/inputs/" + IriScheme.segment(name)))
          .forEach(input -> activity.addProperty(Vocab.Prov.used, input));
      evaluationActivity(
          model,
          activity,
          subject,
          shadow.evaluation(),
          Optional.of(shadow.policy()),
          decision.submittedAt());
    }
  }

  /**
   * The drift facts the decision was evaluated with, when its model version is monitored: the
   * statistics as JSON on the routing (beside its trace, and like it read back for replay), and the
   * alarm raised at the time, if any, on the decision. Two triples at most: every decision of a
   * monitored model carries them, so they are kept lean.
   */
  private void drift(Model model, Resource subject, Resource routing, DriftFacts drift) {
    if (!drift.psi().isEmpty() || !drift.ks().isEmpty()) {
      Map<String, Object> statistics = new LinkedHashMap<>();
      statistics.put("psi", new TreeMap<>(drift.psi()));
      statistics.put("ks", new TreeMap<>(drift.ks()));
      routing.addLiteral(
          Vocab.driftStatistics,
          model.createTypedLiteral(JsonText.write(statistics), RDF.dtRDFJSON));
    }
    drift
        .alarm()
        .ifPresent(
            id ->
                subject.addProperty(
                    Vocab.duringDriftAlarm, model.createResource(iris.driftAlarm(id))));
  }

  private void referenceProfile(Model model, ReferenceProfile.Registered event) {
    var ref = event.profile().model();
    Resource profile = model.createResource(event.subjectIri());
    profile.addProperty(RDF.type, Vocab.ReferenceProfile).addProperty(RDF.type, Vocab.Prov.Entity);
    profile.addProperty(
        Vocab.referenceFor, model.createResource(iris.modelVersion(ref.name(), ref.version())));
    // The profile is its author's; the bundle (the event putting it in force) its approver's.
    profile.addProperty(Vocab.Prov.wasAttributedTo, agent(model, event.author()));
    profile.addLiteral(Vocab.Prov.generatedAtTime, time(model, event.time()));
    event
        .profile()
        .distributions()
        .keySet()
        .forEach(name -> profile.addProperty(Vocab.monitoredInput, name));
    profile.addLiteral(
        Vocab.distributions,
        model.createTypedLiteral(ReferenceJson.write(event.profile()), RDF.dtRDFJSON));
  }

  /**
   * A drift alarm is an activity from its raising to its clearing; the statistics assessed at each
   * end are DQV quality measurements of the model version.
   */
  private void driftAlarm(Model model, DriftAlarm event) {
    var ref = event.model();
    Resource modelVersion = model.createResource(iris.modelVersion(ref.name(), ref.version()));
    Resource alarm = model.createResource(event.subjectIri());
    alarm.addProperty(RDF.type, Vocab.DriftAlarm).addProperty(RDF.type, Vocab.Prov.Activity);
    alarm.addProperty(Vocab.monitoredModel, modelVersion);
    String end;
    Property link;
    if (event instanceof DriftAlarm.Raised raised) {
      alarm.addLiteral(Vocab.Prov.startedAtTime, time(model, event.time()));
      alarm.addProperty(Vocab.Prov.used, model.createResource(raised.referenceIri()));
      end = "/raised/";
      link = Vocab.raisedWith;
    } else {
      alarm.addLiteral(Vocab.Prov.endedAtTime, time(model, event.time()));
      end = "/cleared/";
      link = Vocab.clearedWith;
    }
    for (DriftAlarm.Measurement m : event.measurements()) {
      Resource measurement =
          model.createResource(
              event.subjectIri()
                  + end
                  + IriScheme.segment(m.feature())
                  + "/"
                  + m.statistic().wireName());
      measurement
          .addProperty(RDF.type, Vocab.Dqv.QualityMeasurement)
          .addProperty(RDF.type, Vocab.Prov.Entity);
      measurement.addProperty(
          Vocab.Dqv.isMeasurementOf,
          m.statistic() == DriftAlarm.Statistic.PSI
              ? Vocab.PopulationStabilityIndex
              : Vocab.KolmogorovSmirnovStatistic);
      measurement.addProperty(Vocab.Dqv.computedOn, modelVersion);
      measurement.addLiteral(
          Vocab.Dqv.value, model.createTypedLiteral(m.value(), XSDDatatype.XSDdouble));
      measurement.addProperty(Vocab.measuredInput, m.feature());
      measurement.addLiteral(
          Vocab.sampleSize, model.createTypedLiteral(m.samples(), XSDDatatype.XSDlong));
      measurement.addLiteral(
          Vocab.threshold, model.createTypedLiteral(m.threshold(), XSDDatatype.XSDdouble));
      measurement.addLiteral(Vocab.beyondThreshold, m.beyond());
      measurement.addLiteral(Vocab.Prov.generatedAtTime, time(model, event.time()));
      measurement.addProperty(Vocab.Prov.wasGeneratedBy, alarm);
      alarm.addProperty(link, measurement);
    }
  }

  /**
   * A breach is an activity from the evaluation that found the objective missed to the one that
   * found it met again; the objective's state at each end is a DQV measurement of the objective.
   */
  private void sloBreach(Model model, SloBreach event) {
    Objective o = event.objective();
    Resource objective = model.createResource(iris.slo(o.id()));
    objective
        .addProperty(RDF.type, Vocab.ServiceLevelObjective)
        .addProperty(RDF.type, Vocab.Dqv.Metric);
    objective.addProperty(Vocab.Dc.identifier, o.id());
    if (!o.description().isBlank()) {
      objective.addProperty(Vocab.Dc.description, o.description());
    }
    objective.addProperty(Vocab.objectiveKind, o.kind().wireName());
    objective.addLiteral(
        Vocab.window, model.createTypedLiteral(o.window().toString(), XSDDatatype.XSDduration));
    if (o.kind().hasBudget()) {
      objective.addLiteral(
          Vocab.target, model.createTypedLiteral(o.target(), XSDDatatype.XSDdouble));
    }
    o.latency()
        .ifPresent(
            limit ->
                objective.addLiteral(
                    Vocab.latencyLimit,
                    model.createTypedLiteral(limit.toString(), XSDDatatype.XSDduration)));
    o.band()
        .ifPresent(
            band -> {
              objective.addLiteral(
                  Vocab.bandMin, model.createTypedLiteral(band.min(), XSDDatatype.XSDdouble));
              objective.addLiteral(
                  Vocab.bandMax, model.createTypedLiteral(band.max(), XSDDatatype.XSDdouble));
            });
    Resource breach = model.createResource(event.subjectIri());
    breach.addProperty(RDF.type, Vocab.SloBreach).addProperty(RDF.type, Vocab.Prov.Activity);
    breach.addProperty(Vocab.objective, objective);
    boolean began = event instanceof SloBreach.Began;
    breach.addLiteral(
        began ? Vocab.Prov.startedAtTime : Vocab.Prov.endedAtTime, time(model, event.time()));
    SloBreach.Measurement m = event.measurement();
    Resource measurement = model.createResource(event.subjectIri() + (began ? "/began" : "/ended"));
    measurement
        .addProperty(RDF.type, Vocab.Dqv.QualityMeasurement)
        .addProperty(RDF.type, Vocab.Prov.Entity);
    measurement.addProperty(Vocab.Dqv.isMeasurementOf, objective);
    measurement.addLiteral(
        Vocab.Dqv.value, model.createTypedLiteral(m.sli(), XSDDatatype.XSDdouble));
    measurement.addLiteral(
        Vocab.goodEvents, model.createTypedLiteral(m.good(), XSDDatatype.XSDlong));
    measurement.addLiteral(
        Vocab.sampleSize, model.createTypedLiteral(m.total(), XSDDatatype.XSDlong));
    if (!Double.isNaN(m.burnRate())) {
      measurement.addLiteral(
          Vocab.burnRate, model.createTypedLiteral(m.burnRate(), XSDDatatype.XSDdouble));
    }
    measurement.addLiteral(Vocab.Prov.generatedAtTime, time(model, event.time()));
    measurement.addProperty(Vocab.Prov.wasGeneratedBy, breach);
    breach.addProperty(began ? Vocab.breachedWith : Vocab.recoveredWith, measurement);
  }

  private Resource featureValue(
      Model model, String decisionIri, String name, FeatureValue feature) {
    Resource input = model.createResource(decisionIri + "/inputs/" + IriScheme.segment(name));
    input.addProperty(RDF.type, Vocab.FeatureValue).addProperty(RDF.type, Vocab.Prov.Entity);
    input.addProperty(Vocab.name, name);
    input.addLiteral(Vocab.value, valueLiteral(model, feature.value()));
    feature
        .source()
        .ifPresent(
            sourceName -> {
              Resource source = model.createResource(iris.source(sourceName));
              source
                  .addProperty(RDF.type, Vocab.DataSource)
                  .addProperty(RDF.type, Vocab.Prov.Entity);
              source.addProperty(Vocab.Dc.identifier, sourceName);
              input.addProperty(Vocab.source, sourceName);
              input.addProperty(Vocab.Prov.wasDerivedFrom, source);
            });
    return input;
  }

  private void routing(Model model, Resource routing, Resource subject, Decision decision) {
    routing.addProperty(RDF.type, Vocab.Routing);
    evaluationActivity(
        model, routing, subject, decision.evaluation(), decision.policy(), decision.submittedAt());
  }

  /** A policy evaluation over a decision: the applied routing, or a shadow one. */
  private void evaluationActivity(
      Model model,
      Resource routing,
      Resource subject,
      Evaluation evaluation,
      Optional<PolicyRef> policyRef,
      Instant at) {
    Resource arbiter = agent(model, ModelRegistry.SYSTEM_ACTOR);
    routing.addProperty(RDF.type, Vocab.Prov.Activity);
    routing.addProperty(Vocab.Prov.used, subject);
    routing.addLiteral(Vocab.Prov.startedAtTime, time(model, at));
    routing.addLiteral(Vocab.Prov.endedAtTime, time(model, at));
    routing.addProperty(Vocab.Prov.wasAssociatedWith, arbiter);
    routing.addProperty(Vocab.route, route(evaluation.route()));
    routing.addProperty(Vocab.ruleKind, evaluation.kind().wireName());
    routing.addLiteral(Vocab.failSafe, evaluation.kind() == RuleKind.FAIL_SAFE);
    evaluation.failure().ifPresent(f -> routing.addProperty(Vocab.failure, f));
    routing.addLiteral(
        Vocab.trace, model.createTypedLiteral(traceJson(evaluation.trace()), RDF.dtRDFJSON));
    evaluation.review().ifPresent(review -> reviewSettings(model, routing, review));

    Resource association = model.createResource(routing.getURI() + "/association");
    association.addProperty(RDF.type, Vocab.Prov.Association);
    association.addProperty(Vocab.Prov.agent, arbiter);
    routing.addProperty(Vocab.Prov.qualifiedAssociation, association);
    policyRef.ifPresent(
        policy -> {
          String version = iris.policyVersion(policy.id(), policy.version());
          association.addProperty(Vocab.Prov.hadPlan, model.createResource(version));
          evaluation
              .ruleId()
              .ifPresent(
                  rule ->
                      routing.addProperty(
                          evaluation.kind() == RuleKind.FAIL_SAFE
                              ? Vocab.failedRule
                              : Vocab.matchedRule,
                          model.createResource(
                              iris.policyRule(policy.id(), policy.version(), rule))));
        });
  }

  private void modelVersion(Model model, ModelVersion.Registered event) {
    var ref = event.model().ref();
    Resource stable = model.createResource(iris.model(ref.name()));
    stable.addProperty(RDF.type, Vocab.Model).addProperty(RDF.type, Vocab.Prov.Entity);
    stable.addProperty(Vocab.Dc.identifier, ref.name());
    Resource version = model.createResource(event.subjectIri());
    version
        .addProperty(RDF.type, Vocab.ModelVersion)
        .addProperty(RDF.type, Vocab.Prov.SoftwareAgent)
        .addProperty(RDF.type, Vocab.Prov.Entity);
    version.addProperty(Vocab.Dc.identifier, ref.name() + "/" + ref.version());
    version.addProperty(Vocab.Dc.version, ref.version());
    version.addProperty(Vocab.Dc.isVersionOf, stable);
    version.addProperty(Vocab.Prov.specializationOf, stable);
    ModelVersion mv = event.model();
    mv.description().ifPresent(d -> version.addProperty(Vocab.Dc.description, d));
    mv.owner().ifPresent(o -> version.addProperty(Vocab.owner, o));
    mv.intendedUse().ifPresent(u -> version.addProperty(Vocab.intendedUse, u));
    version.addProperty(Vocab.document, json(model, mv.document()));
    mv.features()
        .forEach(
            f -> version.addProperty(Vocab.usesFeature, model.createResource(iris.feature(f))));
    List<Resource> data =
        mv.trainedOn().stream()
            .map(d -> model.createResource(iris.datasetVersion(d.dataset(), d.version())))
            .toList();
    data.forEach(d -> version.addProperty(Vocab.Prov.wasDerivedFrom, d));
    if (mv.training().isPresent() || !data.isEmpty()) {
      Resource training = model.createResource(event.subjectIri() + "/training");
      training.addProperty(RDF.type, Vocab.Training).addProperty(RDF.type, Vocab.Prov.Activity);
      version.addProperty(Vocab.Prov.wasGeneratedBy, training);
      data.forEach(d -> training.addProperty(Vocab.Prov.used, d));
      mv.training()
          .ifPresent(
              t -> {
                t.startedAt()
                    .ifPresent(
                        at -> training.addLiteral(Vocab.Prov.startedAtTime, time(model, at)));
                t.endedAt()
                    .ifPresent(
                        at -> {
                          training.addLiteral(Vocab.Prov.endedAtTime, time(model, at));
                          version.addLiteral(Vocab.Prov.generatedAtTime, time(model, at));
                        });
                t.by()
                    .ifPresent(
                        by -> training.addProperty(Vocab.Prov.wasAssociatedWith, agent(model, by)));
                t.hyperParameters()
                    .ifPresent(h -> training.addProperty(Vocab.hyperParameters, json(model, h)));
              });
    }
    mv.metrics()
        .forEach(
            (name, value) -> {
              Resource metric = model.createResource(iris.metric(name));
              metric.addProperty(RDF.type, Vocab.Dqv.Metric);
              metric.addProperty(Vocab.Dc.identifier, name);
              Resource measurement =
                  model.createResource(event.subjectIri() + "/metrics/" + IriScheme.segment(name));
              measurement.addProperty(RDF.type, Vocab.Dqv.QualityMeasurement);
              measurement.addProperty(Vocab.Dqv.computedOn, version);
              measurement.addProperty(Vocab.Dqv.isMeasurementOf, metric);
              measurement.addLiteral(
                  Vocab.Dqv.value, model.createTypedLiteral(value, XSDDatatype.XSDdouble));
              version.addProperty(Vocab.Dqv.hasQualityMeasurement, measurement);
            });
  }

  /** An approval: a person's activity that used the model version, never editing it. */
  private void modelApproval(Model model, ModelVersion.Approved event) {
    Resource version = model.createResource(event.subjectIri());
    Resource approval = model.createResource(event.subjectIri() + "/approval");
    approval.addProperty(RDF.type, Vocab.ModelApproval).addProperty(RDF.type, Vocab.Prov.Activity);
    approval.addProperty(Vocab.Prov.used, version);
    Resource approver = agent(model, event.actor());
    approver.addProperty(RDF.type, Vocab.Prov.Person);
    approval.addProperty(Vocab.Prov.wasAssociatedWith, approver);
    approval.addLiteral(Vocab.Prov.startedAtTime, time(model, event.time()));
    approval.addLiteral(Vocab.Prov.endedAtTime, time(model, event.time()));
    var note = jakarta.json.Json.createObjectBuilder();
    event.note().ifPresent(n -> note.add("note", n));
    approval.addProperty(Vocab.document, json(model, note.build()));
    event.note().ifPresent(n -> approval.addProperty(Vocab.note, n));
  }

  /** Sources, datasets and their versions, features: entities with their registered document. */
  private void dataEntry(Model model, DataEntry.Registered event) {
    Resource subject = model.createResource(event.subjectIri());
    subject.addProperty(RDF.type, Vocab.Prov.Entity);
    subject.addProperty(Vocab.document, json(model, event.entry().document()));
    subject.addProperty(Vocab.Prov.wasAttributedTo, agent(model, event.actor()));
    if (event.entry() instanceof DataEntry.DataSource source) {
      subject.addProperty(RDF.type, Vocab.DataSource);
      subject.addProperty(Vocab.Dc.identifier, source.id());
      subject.addProperty(Vocab.Dc.title, source.title());
      source.description().ifPresent(d -> subject.addProperty(Vocab.Dc.description, d));
      source.owner().ifPresent(o -> subject.addProperty(Vocab.owner, o));
      for (DataEntry.SourceField field : source.fields()) {
        Resource node = model.createResource(iris.sourceField(source.id(), field.name()));
        node.addProperty(RDF.type, Vocab.SourceField).addProperty(RDF.type, Vocab.Prov.Entity);
        node.addProperty(Vocab.name, field.name());
        node.addProperty(Vocab.Dc.isPartOf, subject);
        field.type().ifPresent(t -> node.addProperty(Vocab.fieldType, t));
        field.description().ifPresent(d -> node.addProperty(Vocab.Dc.description, d));
      }
    } else if (event.entry() instanceof DataEntry.Dataset dataset) {
      subject.addProperty(RDF.type, Vocab.Dataset).addProperty(RDF.type, Vocab.Dc.DcatDataset);
      subject.addProperty(Vocab.Dc.identifier, dataset.id());
      subject.addProperty(Vocab.Dc.title, dataset.title());
      dataset.description().ifPresent(d -> subject.addProperty(Vocab.Dc.description, d));
      dataset.owner().ifPresent(o -> subject.addProperty(Vocab.owner, o));
    } else if (event.entry() instanceof DataEntry.DatasetVersion version) {
      var ref = version.ref();
      Resource dataset = model.createResource(iris.dataset(ref.dataset()));
      subject
          .addProperty(RDF.type, Vocab.DatasetVersion)
          .addProperty(RDF.type, Vocab.Dc.DcatDataset);
      subject.addProperty(Vocab.Dc.identifier, ref.toString());
      subject.addProperty(Vocab.Dc.version, ref.version());
      subject.addProperty(Vocab.Dc.isVersionOf, dataset);
      subject.addProperty(Vocab.Prov.specializationOf, dataset);
      subject.addProperty(Vocab.contentHash, version.contentHash());
      version.schema().ifPresent(schema -> subject.addProperty(Vocab.schema, json(model, schema)));
      if (version.coverageStart().isPresent() || version.coverageEnd().isPresent()) {
        Resource period = model.createResource(event.subjectIri() + "/coverage");
        period.addProperty(RDF.type, Vocab.Dc.PeriodOfTime);
        version
            .coverageStart()
            .ifPresent(t -> period.addLiteral(Vocab.Dc.startDate, time(model, t)));
        version.coverageEnd().ifPresent(t -> period.addLiteral(Vocab.Dc.endDate, time(model, t)));
        subject.addProperty(Vocab.Dc.temporal, period);
      }
      version
          .derivedFrom()
          .forEach(
              source ->
                  subject.addProperty(
                      Vocab.Prov.wasDerivedFrom, model.createResource(iris.source(source))));
      version
          .createdAt()
          .ifPresent(t -> subject.addLiteral(Vocab.Prov.generatedAtTime, time(model, t)));
    } else if (event.entry() instanceof DataEntry.Feature feature) {
      subject.addProperty(RDF.type, Vocab.Feature);
      subject.addProperty(Vocab.Dc.identifier, feature.name());
      subject.addProperty(Vocab.Dc.description, feature.definition());
      feature.type().ifPresent(t -> subject.addProperty(Vocab.fieldType, t));
      feature
          .derivedFrom()
          .forEach(
              from ->
                  subject.addProperty(
                      Vocab.Prov.wasDerivedFrom,
                      model.createResource(iris.sourceField(from.source(), from.field()))));
    }
  }

  private void policyVersion(Model model, PolicyRegistered event) {
    PolicyDocument document = event.document();
    Resource stable = model.createResource(iris.policy(document.id()));
    stable.addProperty(RDF.type, Vocab.Policy).addProperty(RDF.type, Vocab.Prov.Entity);
    stable.addProperty(Vocab.Dc.identifier, document.id());
    Resource version = model.createResource(event.subjectIri());
    version
        .addProperty(RDF.type, Vocab.PolicyVersion)
        .addProperty(RDF.type, Vocab.Prov.Plan)
        .addProperty(RDF.type, Vocab.Prov.Entity);
    version.addProperty(Vocab.Dc.identifier, document.id() + "/" + document.version());
    version.addProperty(Vocab.Dc.version, document.version());
    version.addProperty(Vocab.Dc.isVersionOf, stable);
    version.addProperty(Vocab.Prov.specializationOf, stable);
    version.addProperty(Vocab.contentHash, document.contentHash());
    version.addProperty(Vocab.document, document.source());
    attribute(model, version, event.actor(), Vocab.AuthorRole, "author");
    event
        .previousVersion()
        .ifPresent(
            previous ->
                version.addProperty(
                    Vocab.Prov.wasRevisionOf,
                    model.createResource(iris.policyVersion(document.id(), previous))));
    version.addLiteral(
        Vocab.qaSampling,
        model.createTypedLiteral(
            new BigDecimal(Double.toString(document.qaSampling())).toPlainString(),
            XSDDatatype.XSDdecimal));
    version.addProperty(Vocab.onReviewTimeout, route(document.onReviewTimeout()));
    OutcomeSchemes.publish(model, iris, version, document);
    document.reasonCodeIds().forEach(code -> version.addProperty(Vocab.reasonCode, code));
    document.description().ifPresent(d -> version.addProperty(Vocab.Dc.description, d));
    for (String governed : document.models()) {
      version.addProperty(Vocab.governs, model.createResource(iris.model(governed)));
    }
    document.tenants().forEach(tenant -> version.addProperty(Vocab.governsTenant, tenant));
    for (PolicyRule rule : document.allRules()) {
      Resource node =
          ruleNode(
              model,
              document,
              version,
              rule.id(),
              rule.kind() == RuleKind.GUARDRAIL ? Vocab.Guardrail : Vocab.Rule,
              rule.route(),
              rule.review());
      node.addLiteral(
          Vocab.position, model.createTypedLiteral(rule.position(), XSDDatatype.XSDint));
      node.addProperty(Vocab.condition, rule.condition());
      rule.description().ifPresent(d -> node.addProperty(Vocab.Dc.description, d));
    }
    DefaultRoute fallback = document.defaultRoute();
    ruleNode(
        model,
        document,
        version,
        DefaultRoute.ID,
        Vocab.DefaultRule,
        fallback.route(),
        fallback.review());
  }

  private void policyTransition(Model model, PolicyTransitioned event, String eventId) {
    Resource version = model.createResource(event.subjectIri());
    Resource activity = model.createResource(step(event, eventId));
    activity
        .addProperty(RDF.type, transitionClass(event))
        .addProperty(RDF.type, Vocab.PolicyTransition)
        .addProperty(RDF.type, Vocab.Prov.Activity);
    activity.addProperty(Vocab.transition, event.transition().wireName());
    activity.addProperty(Vocab.Prov.used, version);
    activity.addProperty(Vocab.Prov.wasAssociatedWith, agent(model, event.actor()));
    activity.addLiteral(Vocab.Prov.startedAtTime, time(model, event.time()));
    activity.addLiteral(Vocab.Prov.endedAtTime, time(model, event.time()));
    event.reason().ifPresent(reason -> activity.addProperty(Vocab.reason, reason));
    event
        .endedActive()
        .ifPresent(
            v ->
                activity.addProperty(
                    Vocab.endedActive,
                    model.createResource(iris.policyVersion(event.policyId(), v))));
    event
        .endedShadow()
        .ifPresent(
            v ->
                activity.addProperty(
                    Vocab.endedShadow,
                    model.createResource(iris.policyVersion(event.policyId(), v))));
    if (event.transition() == io.arbiter.policy.PolicyTransition.APPROVE) {
      attribute(model, version, event.actor(), Vocab.ApproverRole, "approver");
    }
  }

  /**
   * What the decision should have been, attributed to whoever reported it. A correction is a new
   * entity, {@code <decision>/outcome/{revision}}, that {@code prov:wasRevisionOf} the one before
   * (the first is {@code <decision>/outcome}), with its revision number and reason.
   */
  private void groundTruth(Model model, GroundTruth.Recorded event) {
    GroundTruth truth = event.truth();
    Resource decision = model.createResource(event.subjectIri());
    Resource node = model.createResource(outcomeIri(event.subjectIri(), truth.revision()));
    node.addProperty(RDF.type, Vocab.GroundTruth).addProperty(RDF.type, Vocab.Prov.Entity);
    node.addProperty(Vocab.outcomeOf, decision);
    node.addProperty(Vocab.route, route(truth.correct()));
    node.addLiteral(Vocab.Prov.generatedAtTime, time(model, truth.observedAt()));
    node.addProperty(Vocab.Prov.wasAttributedTo, agent(model, truth.recordedBy()));
    truth.note().ifPresent(note -> node.addProperty(Vocab.note, note));
    if (truth.revision() > 1) {
      node.addLiteral(Vocab.outcomeRevision, count(model, truth.revision()));
      node.addProperty(
          Vocab.Prov.wasRevisionOf,
          model.createResource(outcomeIri(event.subjectIri(), truth.revision() - 1)));
      truth.reason().ifPresent(reason -> node.addProperty(Vocab.correctionReason, reason));
    }
  }

  private static String outcomeIri(String decisionIri, int revision) {
    return decisionIri + "/outcome" + (revision == 1 ? "" : "/" + revision);
  }

  private void submissionHour(Model model, SubmissionHour.Indexed event) {
    Resource hour = model.createResource(event.subjectIri());
    hour.addProperty(RDF.type, Vocab.SubmissionHour);
    hour.addLiteral(Vocab.hourStart, time(model, event.hour().start()));
    hour.addLiteral(Vocab.hourEnd, time(model, event.hour().end()));
    for (String decision : event.decisionIris()) {
      model.createResource(decision).addProperty(Vocab.submittedInHour, hour);
    }
  }

  private void hourTally(Model model, SubmissionHour.Tallied event) {
    Resource tally = model.createResource(event.subjectIri());
    tally.addProperty(RDF.type, Vocab.HourTally).addProperty(RDF.type, Vocab.Prov.Entity);
    Instant start = event.hour().start();
    tally.addProperty(Vocab.tallyOf, model.createResource(iris.hour(start)));
    tally.addLiteral(Vocab.tallyRevision, count(model, event.revision()));
    tally.addLiteral(Vocab.decisionCount, count(model, event.decisions()));
    if (event.revision() > 1) {
      tally.addProperty(
          Vocab.Prov.wasRevisionOf,
          model.createResource(iris.hourTally(start, event.revision() - 1)));
    }
    int index = 0;
    for (SubmissionHour.Cell cell : event.cells()) {
      Resource node = model.createResource(event.subjectIri() + "/cells/" + index++);
      tally.addProperty(Vocab.hasCell, node);
      node.addProperty(RDF.type, Vocab.TallyCell);
      node.addProperty(
          Vocab.cellModelVersion,
          model.createResource(iris.modelVersion(cell.model().name(), cell.model().version())));
      cell.policy()
          .ifPresent(
              p ->
                  node.addProperty(
                      Vocab.cellPolicyVersion,
                      model.createResource(iris.policyVersion(p.id(), p.version()))));
      node.addProperty(Vocab.route, route(cell.route()));
      node.addLiteral(Vocab.decisionCount, count(model, cell.decisions()));
      node.addLiteral(Vocab.firstSubmittedAt, time(model, cell.first()));
      node.addLiteral(Vocab.lastSubmittedAt, time(model, cell.last()));
    }
  }

  /** An xsd:integer, as counts and revisions are typed in the ontology. */
  private static Literal count(Model model, long count) {
    return model.createTypedLiteral(String.valueOf(count), XSDDatatype.XSDinteger);
  }

  /** The task a routing creates; part of the decision's bundle, so neither exists alone. */
  private void reviewTask(
      Model model, ReviewAssignment assignment, Resource decision, Resource routing) {
    Resource task = model.createResource(iris.review(assignment.taskId()));
    task.addProperty(RDF.type, Vocab.ReviewTask).addProperty(RDF.type, Vocab.Prov.Entity);
    task.addProperty(Vocab.Dc.identifier, assignment.taskId());
    task.addProperty(Vocab.taskKind, assignment.kind().wireName());
    task.addProperty(Vocab.reviewOf, decision);
    task.addProperty(Vocab.reviewQueue, assignment.queue());
    task.addLiteral(
        Vocab.reviewersRequired,
        model.createTypedLiteral(assignment.reviewers(), XSDDatatype.XSDint));
    task.addLiteral(Vocab.blindReview, assignment.blind());
    task.addLiteral(
        Vocab.priority, model.createTypedLiteral(assignment.priority(), XSDDatatype.XSDint));
    task.addLiteral(Vocab.deadline, time(model, assignment.deadline()));
    task.addProperty(Vocab.recommendation, assignment.recommendation());
    assignment.reasonCodes().forEach(code -> task.addProperty(Vocab.reasonCode, code));
    task.addProperty(Vocab.Prov.wasGeneratedBy, routing);
    task.addLiteral(Vocab.Prov.generatedAtTime, time(model, assignment.createdAt()));
  }

  /**
   * The activity an event adds to the life of its subject (a review task, a policy version): the
   * subject's IRI, {@code /steps/}, and the last segment of the bundle's IRI (the event id; for
   * bundles recorded before the journal, their sequence number).
   */
  private String step(DomainEvent event, String eventId) {
    return event.subjectIri() + "/steps/" + IriScheme.segment(eventId);
  }

  /** A step in a review task's life: one activity using the task, by a person or by Arbiter. */
  private void reviewStep(Model model, ReviewEvent event, String eventId) {
    Resource task = model.createResource(event.subjectIri());
    Resource step = model.createResource(step(event, eventId));
    step.addProperty(RDF.type, reviewStepClass(event))
        .addProperty(RDF.type, Vocab.ReviewStep)
        .addProperty(RDF.type, Vocab.Prov.Activity);
    step.addProperty(Vocab.Prov.used, task);
    Resource actor = agent(model, event.actor());
    if (!ModelRegistry.SYSTEM_ACTOR.equals(event.actor())) {
      actor.addProperty(RDF.type, Vocab.Prov.Person);
    }
    step.addProperty(Vocab.Prov.wasAssociatedWith, actor);
    Instant started = event.time();
    if (event instanceof ReviewEvent.Claimed claimed) {
      step.addLiteral(Vocab.claimExpires, time(model, claimed.expiresAt()));
    } else if (event instanceof ReviewEvent.VerdictGiven given) {
      started = given.verdict().startedAt();
      judgement(model, step, actor, given.verdict(), given.policy(), Vocab.ReviewerRole);
    } else if (event instanceof ReviewEvent.Adjudicated ruled) {
      started = ruled.ruling().startedAt();
      judgement(model, step, actor, ruled.ruling(), ruled.policy(), Vocab.AdjudicatorRole);
    } else if (event instanceof ReviewEvent.Escalated escalated) {
      step.addProperty(Vocab.fromQueue, escalated.fromQueue());
      step.addProperty(Vocab.toQueue, escalated.toQueue());
    }
    step.addLiteral(Vocab.Prov.startedAtTime, time(model, started));
    step.addLiteral(Vocab.Prov.endedAtTime, time(model, event.time()));
    event.settlement().ifPresent(settled -> settlement(model, event, task, step, settled));
  }

  private void judgement(
      Model model,
      Resource step,
      Resource actor,
      Verdict verdict,
      Optional<PolicyRef> policy,
      Resource role) {
    step.addProperty(Vocab.verdict, route(verdict.outcome().route()));
    step.addProperty(Vocab.reasonCode, verdict.reasonCode());
    verdict.justification().ifPresent(j -> step.addProperty(Vocab.justification, j));
    step.addLiteral(Vocab.sawRecommendation, verdict.sawRecommendation());
    policy.ifPresent(
        p ->
            verdict
                .rules()
                .forEach(
                    rule ->
                        step.addProperty(
                            Vocab.reliedOnRule,
                            model.createResource(iris.policyRule(p.id(), p.version(), rule)))));
    Resource association = model.createResource(step.getURI() + "/association");
    association.addProperty(RDF.type, Vocab.Prov.Association);
    association.addProperty(Vocab.Prov.agent, actor);
    association.addProperty(Vocab.Prov.hadRole, role);
    step.addProperty(Vocab.Prov.qualifiedAssociation, association);
  }

  /**
   * How the task ended: for an escalation, a new decision entity revising the routed one (the
   * outcome that stands); for a QA review, a finding derived from the automated decision.
   */
  private void settlement(
      Model model, ReviewEvent event, Resource task, Resource step, Settlement settled) {
    Resource decision = model.createResource(iris.decision(event.decision().value()));
    boolean qa = ReviewAssignment.kindOf(event.taskId()) == TaskKind.QA;
    Resource result = model.createResource(decision.getURI() + (qa ? "/qa" : "/reviewed"));
    result
        .addProperty(RDF.type, qa ? Vocab.QaFinding : Vocab.ReviewedDecision)
        .addProperty(RDF.type, Vocab.Prov.Entity);
    result.addProperty(qa ? Vocab.Prov.wasDerivedFrom : Vocab.Prov.wasRevisionOf, decision);
    result.addProperty(Vocab.Prov.wasGeneratedBy, step);
    result.addLiteral(Vocab.Prov.generatedAtTime, time(model, settled.at()));
    result.addProperty(Vocab.route, route(settled.outcome().route()));
    result.addProperty(Vocab.settledBy, settled.basis().wireName());
    result.addLiteral(Vocab.overridesRecommendation, settled.overridesRecommendation());
    result.addLiteral(Vocab.failSafe, settled.basis() == Settlement.Basis.TIMEOUT);
    task.addProperty(Vocab.settlement, result);
  }

  private static Resource reviewStepClass(ReviewEvent event) {
    if (event instanceof ReviewEvent.Claimed) {
      return Vocab.ReviewClaim;
    } else if (event instanceof ReviewEvent.Released) {
      return Vocab.ReviewRelease;
    } else if (event instanceof ReviewEvent.VerdictGiven) {
      return Vocab.Review;
    } else if (event instanceof ReviewEvent.Adjudicated) {
      return Vocab.Adjudication;
    } else if (event instanceof ReviewEvent.Escalated) {
      return Vocab.ReviewEscalation;
    }
    return Vocab.ReviewTimeout;
  }

  private static Resource transitionClass(PolicyTransitioned event) {
    return switch (event.transition()) {
      case APPROVE -> Vocab.PolicyApproval;
      case ACTIVATE -> Vocab.PolicyActivation;
      case SHADOW -> Vocab.PolicyShadowing;
      case RETIRE -> Vocab.PolicyRetirement;
    };
  }

  /**
   * {@code prov:wasAttributedTo} the agent, qualified with the role the agent played. The role is
   * {@code arb:attributionRole}, not {@code prov:hadRole}: PROV-O gives {@code prov:hadRole} to
   * associations and instantaneous events only, PROV-DM allows {@code prov:role} on no attribution,
   * and ProvToolbox refuses a whole document that has one (bundles before 2026-12-06 do).
   */
  private void attribute(
      Model model, Resource entity, String userName, Resource role, String roleName) {
    Resource agent = agent(model, userName);
    entity.addProperty(Vocab.Prov.wasAttributedTo, agent);
    Resource attribution = model.createResource(entity.getURI() + "/attribution/" + roleName);
    attribution.addProperty(RDF.type, Vocab.Prov.Attribution);
    attribution.addProperty(Vocab.Prov.agent, agent);
    attribution.addProperty(Vocab.attributionRole, role);
    entity.addProperty(Vocab.Prov.qualifiedAttribution, attribution);
  }

  private Resource ruleNode(
      Model model,
      PolicyDocument document,
      Resource version,
      String id,
      Resource type,
      Route route,
      Optional<ReviewSettings> review) {
    Resource node = model.createResource(iris.policyRule(document.id(), document.version(), id));
    node.addProperty(RDF.type, type).addProperty(RDF.type, Vocab.Prov.Entity);
    node.addProperty(Vocab.Dc.identifier, id);
    node.addProperty(Vocab.route, route(route));
    review.ifPresent(r -> reviewSettings(model, node, r));
    version.addProperty(Vocab.hasRule, node);
    return node;
  }

  private static void reviewSettings(Model model, Resource node, ReviewSettings review) {
    node.addProperty(Vocab.reviewQueue, review.queue());
    node.addLiteral(
        Vocab.reviewersRequired, model.createTypedLiteral(review.reviewers(), XSDDatatype.XSDint));
    node.addLiteral(
        Vocab.reviewSla,
        model.createTypedLiteral(review.sla().toString(), XSDDatatype.XSDdayTimeDuration));
    node.addLiteral(Vocab.blindReview, review.blind());
    review.reasonCodes().forEach(code -> node.addProperty(Vocab.reasonCode, code));
  }

  private Resource agent(Model model, String userName) {
    Resource agent = model.createResource(iris.agent(userName));
    agent.addProperty(
        RDF.type,
        ModelRegistry.SYSTEM_ACTOR.equals(userName) ? Vocab.Prov.SoftwareAgent : Vocab.Prov.Agent);
    agent.addProperty(Vocab.Dc.identifier, userName);
    return agent;
  }

  /**
   * A route's or outcome's SKOS concept: review and the demo vocabulary's approve and reject are
   * {@code arb:}'s own (so decisions recorded before vocabularies keep their meaning), any other
   * outcome is {@link IriScheme#outcome}, published in the scheme of each policy version that
   * declares it.
   */
  static Resource route(IriScheme iris, Route route) {
    if (route.equals(Route.REVIEW)) {
      return Vocab.RouteReview;
    } else if (route.equals(Route.APPROVE)) {
      return Vocab.RouteApprove;
    } else if (route.equals(Route.REJECT)) {
      return Vocab.RouteReject;
    }
    return ResourceFactory.createResource(iris.outcome(route.wireName()));
  }

  private Resource route(Route route) {
    return route(iris, route);
  }

  private static Literal time(Model model, Instant instant) {
    return model.createTypedLiteral(instant.toString(), XSDDatatype.XSDdateTime);
  }

  /** Numbers keep their JSON form: integral as xsd:integer, others as xsd:decimal. */
  static Literal valueLiteral(Model model, Object value) {
    if (value instanceof BigDecimal number) {
      return number.scale() <= 0
          ? model.createTypedLiteral(number.toBigIntegerExact().toString(), XSDDatatype.XSDinteger)
          : model.createTypedLiteral(number.toPlainString(), XSDDatatype.XSDdecimal);
    }
    if (value instanceof String text) {
      return model.createTypedLiteral(text, XSDDatatype.XSDstring);
    }
    if (value instanceof Boolean flag) {
      return model.createTypedLiteral(flag);
    }
    return model.createTypedLiteral(JsonText.write(value), RDF.dtRDFJSON);
  }

  /** A JSON value as registered, in its canonical (RFC 8785) text. */
  private static Literal json(Model model, jakarta.json.JsonValue value) {
    return model.createTypedLiteral(io.arbiter.event.CanonicalJson.text(value), RDF.dtRDFJSON);
  }

  static String traceJson(List<EvaluationStep> trace) {
    List<Map<String, Object>> steps =
        trace.stream()
            .map(
                step -> {
                  Map<String, Object> json = new LinkedHashMap<>();
                  json.put("rule", step.ruleId());
                  json.put("kind", step.kind().wireName());
                  json.put("outcome", step.outcome().wireName());
                  step.detail().ifPresent(d -> json.put("detail", d));
                  return json;
                })
            .toList();
    return JsonText.write(steps);
  }
}
