package io.arbiter.decision.api;

import io.arbiter.decision.Decision;
import io.arbiter.decision.RecordedDecision;
import io.arbiter.decision.Submission;
import io.arbiter.event.IriScheme;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a submitter learns: where the decision went and why, and where its provenance is. */
@Schema(name = "DecisionReceipt", description = "The outcome of submitting a decision.")
public record SubmissionView(
    @Schema(description = "Decision id (UUIDv7)") String id,
    @Schema(description = "IRI of the decision in the provenance graph") String iri,
    @Schema(enumeration = {"automated", "pending_review"}) String status,
    @Schema(
            description =
                "review, or an outcome of the routing policy's vocabulary (approve or reject in the demo's)")
        String route,
    @Schema(description = "The guardrail or rule that decided") Views.Rule rule,
    @Schema(description = "The policy version that routed it; absent when none governs the model")
        Views.Policy policy,
    @Schema(description = "Review settings, when routed to humans") Views.Review review,
    @Schema(description = "Why evaluation failed safe to human review") String failure,
    Instant submittedAt,
    @Schema(description = "Position of the decision's event in the log") long sequence,
    @Schema(description = "IRI of the PROV bundle (named graph) recording the event") String bundle,
    @Schema(
            description =
                "What was accepted with a caveat: each input the policy does not declare, dropped"
                    + " from the record (policies with undeclaredInputs: drop, the default);"
                    + " absent when there is none")
        List<String> warnings) {

  static SubmissionView of(Submission submission, IriScheme iris) {
    RecordedDecision recorded = submission.recorded();
    Decision decision = recorded.decision();
    var evaluation = decision.evaluation();
    return new SubmissionView(
        decision.id().value(),
        iris.decision(decision.id().value()),
        decision.status().wireName(),
        evaluation.route().wireName(),
        Views.Rule.of(evaluation),
        Views.Policy.of(decision.policy(), iris),
        evaluation.review().map(Views.Review::of).orElse(null),
        evaluation.failure().orElse(null),
        decision.submittedAt(),
        recorded.sequence(),
        recorded.bundleIri(),
        submission.warnings().isEmpty() ? null : submission.warnings());
  }
}
