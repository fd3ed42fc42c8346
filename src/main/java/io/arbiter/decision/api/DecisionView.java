package io.arbiter.decision.api;

import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionStatus;
import io.arbiter.decision.RecordedDecision;
import io.arbiter.decision.Resolution;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.DriftFacts;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A decision in full: the facts it was routed on, the route, and the evaluation trace. */
@Schema(name = "Decision")
public record DecisionView(
    String id,
    String iri,
    @Schema(enumeration = {"automated", "pending_review", "settled"}) String status,
    @Schema(
            description =
                "review, or an outcome of the routing policy's vocabulary (approve or reject in the demo's)")
        String route,
    Views.Rule rule,
    Views.Policy policy,
    Views.Review review,
    String failure,
    Instant submittedAt,
    String submittedBy,
    long sequence,
    String bundle,
    Views.Model model,
    @Schema(description = "The integrator's case id") String subject,
    @Schema(description = "The tenant the decision is for, if one was sent") String tenant,
    @Schema(
            description =
                "Feature values: a plain value, or {value, source} when a source was given")
        Map<String, Object> input,
    Output output,
    Map<String, Object> context,
    @Schema(description = "Every condition tested, in order") List<Views.Step> trace,
    @Schema(
            description =
                "The model version's drift as the policy saw it (drift.*); absent when the model"
                    + " version is not monitored")
        DriftView drift,
    @Schema(description = "How humans settled it; absent until they have")
        ResolutionView resolution,
    @Schema(
            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT,
            description =
                "Values of ontology extension properties, by the property's full IRI: an IRI as"
                    + " a string, a number or boolean literal as JSON, other literals as their"
                    + " lexical form; an array when there are several (docs/ontology-extensions.md)."
                    + " Absent when there are none.",
            example =
                "{\"https://example.org/euai#riskClass\": \"https://example.org/euai#HighRisk\"}")
        Map<String, Object> extensions) {

  /** The outcome that stands after review. */
  @Schema(name = "Resolution")
  public record ResolutionView(
      @Schema(
              description =
                  "An outcome of the routing policy's vocabulary (approve or reject in the demo's)")
          String outcome,
      @Schema(enumeration = {"consensus", "adjudication", "timeout"}) String basis,
      @Schema(description = "True when the SLA ran out and the fail-safe outcome was applied")
          boolean failSafe,
      boolean overridesRecommendation,
      Instant at) {
    public static ResolutionView of(Resolution r) {
      return new ResolutionView(
          r.outcome().wireName(), r.basis(), r.failSafe(), r.overridesRecommendation(), r.at());
    }
  }

  /** The drift facts the decision was evaluated with. */
  @Schema(name = "DecisionDrift")
  public record DriftView(
      boolean alarm,
      @Schema(description = "IRI of the drift alarm raised at the time") String alarmIri,
      @Schema(description = "PSI per input (output.score for the score)") Map<String, Double> psi,
      @Schema(description = "Kolmogorov–Smirnov statistic per numeric input")
          Map<String, Double> ks) {
    static DriftView of(DriftFacts drift, IriScheme iris) {
      return drift.isEmpty()
          ? null
          : new DriftView(
              drift.alarmed(),
              drift.alarm().map(iris::driftAlarm).orElse(null),
              new java.util.TreeMap<>(drift.psi()),
              new java.util.TreeMap<>(drift.ks()));
    }
  }

  /** What the model said. */
  @Schema(name = "ModelOutput")
  public record Output(
      String label, double score, double confidence, Map<String, BigDecimal> explanation) {}

  /**
   * This view without what the model said: its output, the trace (whose conditions on the output
   * would give it away) and the drift facts (which include the score's drift). For blind review.
   * With {@code alsoRouting}, also without the route and rule the policy chose (for the QA review
   * of an automated decision, whose route is the very recommendation under review).
   *
   * <p>The rule that routed it is shown by {@code ruleAlias} (a rule's id can name the model's
   * call); so is a failed rule in the failure, whose evaluation error is withheld (it is about
   * conditions on the output). Failures before any rule (model version, missing inputs) say nothing
   * of the output and stay.
   */
  public DecisionView withoutModelOutput(boolean alsoRouting, UnaryOperator<String> ruleAlias) {
    boolean ruleFailed = failure != null && rule != null && rule.id() != null;
    return new DecisionView(
        id,
        iri,
        alsoRouting ? null : status,
        alsoRouting ? null : route,
        alsoRouting || rule == null
            ? null
            : new Views.Rule(rule.id() == null ? null : ruleAlias.apply(rule.id()), rule.kind()),
        policy,
        review,
        ruleFailed
            ? "'"
                + ruleAlias.apply(rule.id())
                + "' could not be evaluated; the error is withheld in blind review"
            : failure,
        submittedAt,
        submittedBy,
        sequence,
        bundle,
        model,
        subject,
        tenant,
        input,
        null,
        context,
        null,
        null,
        resolution,
        extensions);
  }

  private static Map<String, Object> sourced(Object value, String source) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("value", value);
    json.put("source", source);
    return json;
  }

  public static DecisionView of(
      RecordedDecision recorded, Optional<Resolution> resolution, IriScheme iris) {
    Decision decision = recorded.decision();
    var request = decision.request();
    var evaluation = decision.evaluation();
    Map<String, Object> input = new LinkedHashMap<>();
    request
        .input()
        .forEach(
            (name, feature) ->
                input.put(
                    name,
                    feature.source().isEmpty()
                        ? feature.value()
                        : sourced(feature.value(), feature.source().get())));
    var output = request.output();
    return new DecisionView(
        decision.id().value(),
        iris.decision(decision.id().value()),
        resolution.isPresent() ? DecisionStatus.SETTLED.wireName() : decision.status().wireName(),
        evaluation.route().wireName(),
        Views.Rule.of(evaluation),
        Views.Policy.of(decision.policy(), iris),
        evaluation.review().map(Views.Review::of).orElse(null),
        evaluation.failure().orElse(null),
        decision.submittedAt(),
        decision.submittedBy(),
        recorded.sequence(),
        recorded.bundleIri(),
        new Views.Model(request.model().name(), request.model().version()),
        request.subject(),
        request.tenant().orElse(null),
        input,
        new Output(
            output.label(),
            output.score(),
            output.confidence(),
            output.explanation().isEmpty() ? null : output.explanation()),
        request.context().isEmpty() ? null : request.context(),
        evaluation.trace().stream().map(Views.Step::of).toList(),
        DriftView.of(decision.drift(), iris),
        resolution.map(ResolutionView::of).orElse(null),
        extensions(decision.extensions()));
  }

  private static final java.util.Set<String> NUMERIC =
      java.util.Set.of("integer", "decimal", "double", "float", "long", "int", "short", "byte")
          .stream()
          .map(t -> "http://www.w3.org/2001/XMLSchema#" + t)
          .collect(java.util.stream.Collectors.toSet());

  /** Extension values as JSON, keyed by property IRI; null when there are none. */
  static Map<String, Object> extensions(List<io.arbiter.decision.ExtensionValue> values) {
    if (values.isEmpty()) {
      return null;
    }
    Map<String, List<Object>> byProperty = new java.util.TreeMap<>();
    for (var value : values) {
      Object json = value.value();
      String datatype = value.datatype().orElse("");
      if (NUMERIC.contains(datatype) && value.value().matches("[+-]?[0-9.]+([eE][+-]?[0-9]+)?")) {
        json = new BigDecimal(value.value());
      } else if (datatype.equals("http://www.w3.org/2001/XMLSchema#boolean")) {
        json = Boolean.valueOf(value.value().equals("true") || value.value().equals("1"));
      }
      byProperty.computeIfAbsent(value.property(), p -> new java.util.ArrayList<>()).add(json);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    byProperty.forEach((p, list) -> json.put(p, list.size() == 1 ? list.get(0) : list));
    return json;
  }
}
