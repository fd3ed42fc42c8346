package io.arbiter.policy.api;

import io.arbiter.event.IriScheme;
import io.arbiter.policy.PolicyDocument;
import io.arbiter.policy.PolicyRule;
import io.arbiter.policy.PolicyVersionInfo;
import io.arbiter.policy.ReviewSettings;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A policy version: everything its document says (each section, with the defaults it left out
 * filled in), its state, people and life so far.
 */
@Schema(name = "PolicyVersion")
public record PolicyVersionView(
    String id,
    String version,
    @Schema(description = "IRI of the version in the provenance graph") String iri,
    @Schema(enumeration = {"draft", "approved", "active", "shadow", "retired"}) String state,
    @Schema(description = "sha256 of the RFC 8785 canonical JSON of the document")
        String contentHash,
    String description,
    @Schema(description = "Models this version governs") List<String> models,
    @Schema(description = "Tenants it governs them for; absent for every tenant")
        List<String> tenants,
    String author,
    @Schema(description = "Who approved it; absent until approved") String approver,
    Instant registeredAt,
    @Schema(description = "The version of the same policy it revises") String previousVersion,
    @Schema(description = "Share of automated decisions also sent to QA review") double qaSampling,
    @Schema(description = "Reason codes a verdict may give, in document order")
        List<String> reasonCodes,
    @Schema(
            description =
                "The same codes, each with the label and definition the version gives it (as its"
                    + " SKOS code list publishes them)")
        List<ReasonCodeView> labelledReasonCodes,
    @Schema(description = "When a decision counts as abstained, for the HITL figures")
        AbstentionView abstention,
    @Schema(
            description =
                "The outcomes its automated routes, verdicts and recorded outcomes may take, and"
                    + " the outcome each model label recommends")
        VocabularyView vocabulary,
    @Schema(
            description =
                "Declared inputs, in document order: a request without a required one fails safe")
        List<Input> inputs,
    @Schema(
            description = "What intake does with request inputs not declared",
            enumeration = {"drop", "refuse"})
        String undeclaredInputs,
    @Schema(description = "Guardrails then rules, in evaluation order") List<Rule> rules,
    @Schema(description = "Where decisions go when nothing matched (the document's default)")
        DefaultRoute defaultRoute,
    @Schema(description = "How decisions the policy cannot evaluate are reviewed") Review failSafe,
    @Schema(
            description =
                "The fail-safe outcome of a review whose SLA runs out, one of the vocabulary's")
        String onReviewTimeout,
    List<Step> history,
    @Schema(description = "The document as submitted (YAML or JSON)") String document) {

  /** Output labels that mean the model abstained, and the confidence floor. */
  @Schema(name = "PolicyAbstention")
  public record AbstentionView(List<String> labels, Double confidenceBelow) {}

  /**
   * The version's outcome vocabulary, with the IRI of the SKOS concept scheme it is published as.
   */
  @Schema(name = "PolicyVocabulary")
  public record VocabularyView(
      List<String> outcomes,
      @Schema(description = "Model label → the outcome it recommends, where the names differ")
          java.util.Map<String, String> labels,
      @Schema(description = "The outcome precision and recall are computed for") String positive,
      @Schema(description = "IRI of the SKOS concept scheme") String scheme) {}

  /** A declared input. */
  @Schema(name = "PolicyInput")
  public record Input(
      String name,
      @Schema(enumeration = {"number", "integer", "string", "boolean"}) String type,
      @Schema(description = "Whether a request may leave it out") boolean optional) {}

  /** Review settings, with the defaults the document left out filled in. */
  @Schema(name = "PolicyReviewSettings")
  public record Review(
      String queue,
      @Schema(description = "Independent reviewers needed") int reviewers,
      @Schema(description = "ISO-8601 duration from submission to verdict") String sla,
      @Schema(description = "Reviewers do not see the model's output") boolean blind,
      @Schema(description = "Reason codes a verdict may give; absent: the policy's reasonCodes")
          List<String> reasonCodes) {
    static Review of(ReviewSettings settings) {
      return new Review(
          settings.queue(),
          settings.reviewers(),
          settings.sla().toString(),
          settings.blind(),
          settings.reasonCodes().isEmpty() ? null : settings.reasonCodes());
    }
  }

  /** The route when nothing matched. */
  @Schema(name = "PolicyDefaultRoute")
  public record DefaultRoute(
      @Schema(description = "review, or an outcome of the policy's vocabulary") String route,
      @Schema(description = "With the review route only") Review review) {}

  /** A guardrail or rule. */
  @Schema(name = "PolicyVersionRule")
  public record Rule(
      String id,
      @Schema(enumeration = {"guardrail", "rule"}) String kind,
      @Schema(description = "CEL") String condition,
      @Schema(
              description =
                  "review, or an outcome of the routing policy's vocabulary (approve or reject in the demo's)")
          String route,
      @Schema(description = "With the review route only") Review review,
      String description) {
    static Rule of(PolicyRule rule) {
      return new Rule(
          rule.id(),
          rule.kind().wireName(),
          rule.condition(),
          rule.route().wireName(),
          rule.review().map(Review::of).orElse(null),
          rule.description().orElse(null));
    }
  }

  /** One lifecycle step. */
  @Schema(name = "PolicyStep")
  public record Step(
      @Schema(enumeration = {"approve", "activate", "shadow", "retire"}) String transition,
      String actor,
      Instant time,
      String reason) {}

  static PolicyVersionView of(PolicyVersionInfo info, IriScheme iris) {
    PolicyDocument document = info.document();
    return new PolicyVersionView(
        info.id(),
        info.version(),
        iris.policyVersion(info.id(), info.version()),
        info.state().wireName(),
        document.contentHash(),
        document.description().orElse(null),
        document.models(),
        document.tenants().isEmpty() ? null : document.tenants(),
        info.author(),
        info.approver().orElse(null),
        info.registeredAt(),
        info.previousVersion().orElse(null),
        document.qaSampling(),
        document.reasonCodeIds(),
        document.reasonCodes().stream().map(ReasonCodeView::of).toList(),
        new AbstentionView(
            document.abstention().labels(), document.abstention().confidenceBelow().orElse(null)),
        new VocabularyView(
            document.vocabulary().outcomes(),
            document.vocabulary().labels(),
            document.vocabulary().positive(),
            iris.outcomeScheme(info.id(), info.version())),
        document.inputs().entrySet().stream()
            .map(
                e ->
                    new Input(
                        e.getKey(),
                        e.getValue().wireName(),
                        document.optionalInputs().contains(e.getKey())))
            .toList(),
        document.undeclaredInputs().wireName(),
        document.allRules().stream().map(Rule::of).toList(),
        new DefaultRoute(
            document.defaultRoute().route().wireName(),
            document.defaultRoute().review().map(Review::of).orElse(null)),
        Review.of(document.failSafe()),
        document.onReviewTimeout().wireName(),
        info.history().stream()
            .map(
                s ->
                    new Step(
                        s.transition().wireName(), s.actor(), s.time(), s.reason().orElse(null)))
            .toList(),
        document.source());
  }
}
