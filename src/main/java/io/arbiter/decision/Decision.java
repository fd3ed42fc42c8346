package io.arbiter.decision;

import io.arbiter.event.DomainEvent;
import io.arbiter.policy.DriftFacts;
import io.arbiter.policy.Evaluation;
import io.arbiter.policy.Facts;
import io.arbiter.registry.ModelVersionRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A decision as recorded: the submission, who sent it and when, and how the policy routed it. The
 * facts and the policy version are pinned, so the routing can be evaluated again.
 *
 * @param drift the model version's drift as assessed when the decision arrived: a derived fact the
 *     policy saw, pinned for replay
 * @param policy the policy version that routed it; empty when none governed the model (then the
 *     evaluation is a fail-safe)
 * @param idempotency the client's key and the digest of the request it came with, if a key was sent
 * @param shadows how each policy version in shadow for the model would have routed it
 * @param qaSampled whether this automated decision was picked for post-hoc QA review (by the
 *     policy's sampling rate and a hash of the id, so replay picks the same)
 * @param modelRegistered whether its model version was registered when it arrived
 * @param modelUnapproved whether, when it arrived, its model version needed an approval it did not
 *     have before its decisions could be automated (so it failed safe to review)
 * @param extensions the values of ontology extension properties it carries, resolved and typed
 * @param recommendation the outcome the model's label recommends in the vocabulary of the policy
 *     version that routed it ({@link io.arbiter.policy.OutcomeVocabulary#recommendation}): what a
 *     verdict on it is compared with to call it an override. The label itself for the demo
 *     vocabulary, for a label that recommends no outcome, and with no policy.
 */
public record Decision(
    DecisionId id,
    DecisionRequest request,
    DriftFacts drift,
    String submittedBy,
    Instant submittedAt,
    Optional<Idempotency> idempotency,
    Optional<PolicyRef> policy,
    Evaluation evaluation,
    List<ShadowEvaluation> shadows,
    boolean qaSampled,
    boolean modelRegistered,
    boolean modelUnapproved,
    List<ExtensionValue> extensions,
    String recommendation) {

  /** An {@code Idempotency-Key} and the SHA-256 of the canonical JSON request sent with it. */
  public record Idempotency(String key, String requestDigest) {}

  public Decision {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(drift, "drift");
    Objects.requireNonNull(submittedBy, "submittedBy");
    Objects.requireNonNull(submittedAt, "submittedAt");
    Objects.requireNonNull(evaluation, "evaluation");
    shadows = List.copyOf(shadows);
    extensions = List.copyOf(extensions);
    Objects.requireNonNull(recommendation, "recommendation");
  }

  public ModelVersionRef model() {
    return request.model();
  }

  /** Everything the policy evaluated: the request's facts and the derived drift facts. */
  public Facts facts() {
    return request
        .facts()
        .withDrift(drift)
        .withModelRegistered(modelRegistered)
        .withModelUnapproved(modelUnapproved);
  }

  public DecisionStatus status() {
    return DecisionStatus.after(evaluation.route());
  }

  /** The event recording a submitted and routed decision ({@code decision.submitted}). */
  public record Submitted(Decision decision, String subjectIri) implements DomainEvent {
    public static final String TYPE = "decision.submitted";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String actor() {
      return decision.submittedBy();
    }

    @Override
    public Instant time() {
      return decision.submittedAt();
    }
  }
}
