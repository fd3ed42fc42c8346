package io.arbiter.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A parsed, validated policy version; not yet compiled.
 *
 * @param models names of the models this policy governs
 * @param tenants the tenants it governs them for; empty for every tenant (and decisions without
 *     one)
 * @param inputs declared inputs and their types, in document order
 * @param optionalInputs the declared inputs a request may leave out; every other declared input is
 *     required, and a decision without one fails safe before any rule runs
 * @param failSafe where decisions go when this policy cannot be evaluated for them
 * @param qaSampling the share (0 to 1) of automated decisions also sent to post-hoc QA review
 * @param onReviewTimeout the fail-safe outcome of a review whose SLA runs out: reject unless the
 *     policy names another of its outcomes (recorded as a fail-safe either way, never as a verdict)
 * @param reasonCodes the reason codes reviewers may give for a verdict under this policy, in
 *     document order, each with the label and definition the document gave it, if any; codes unique
 * @param abstention when a decision counts as one the model abstained from (for the HITL figures)
 * @param vocabulary the outcomes of its automated routes, verdicts and recorded outcomes, and which
 *     one each model label recommends (approve/reject unless the document declares one)
 * @param undeclaredInputs what intake does with request inputs not in {@code inputs}
 * @param contentHash {@code sha256:} + hex of the RFC 8785 canonical JSON of the document, so the
 *     same policy in YAML or JSON has one hash
 * @param source the document text as loaded, kept with the version in the graph
 */
public record PolicyDocument(
    String id,
    String version,
    Optional<String> description,
    List<String> models,
    List<String> tenants,
    Map<String, InputType> inputs,
    Set<String> optionalInputs,
    List<PolicyRule> guardrails,
    List<PolicyRule> rules,
    DefaultRoute defaultRoute,
    ReviewSettings failSafe,
    double qaSampling,
    Route onReviewTimeout,
    List<ReasonCode> reasonCodes,
    Abstention abstention,
    OutcomeVocabulary vocabulary,
    UndeclaredInputs undeclaredInputs,
    String contentHash,
    String source) {

  public PolicyDocument {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    models = List.copyOf(models);
    tenants = List.copyOf(tenants);
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    optionalInputs = Set.copyOf(optionalInputs);
    if (!inputs.keySet().containsAll(optionalInputs)) {
      throw new IllegalArgumentException("only a declared input can be optional");
    }
    guardrails = List.copyOf(guardrails);
    rules = List.copyOf(rules);
    reasonCodes = List.copyOf(reasonCodes);
    if (reasonCodes.stream().map(ReasonCode::code).distinct().count() != reasonCodes.size()) {
      throw new IllegalArgumentException("reason codes are unique");
    }
    Objects.requireNonNull(abstention, "abstention");
    Objects.requireNonNull(undeclaredInputs, "undeclaredInputs");
    if (!vocabulary.contains(onReviewTimeout.wireName())) {
      throw new IllegalArgumentException("onReviewTimeout is one of the vocabulary's outcomes");
    }
    // The parameters, not allRules(): the fields are assigned after this block.
    Stream.concat(
            Stream.concat(guardrails.stream(), rules.stream()).map(PolicyRule::route),
            Stream.of(defaultRoute.route()))
        .filter(Route::automated)
        .filter(route -> !vocabulary.contains(route.wireName()))
        .findFirst()
        .ifPresent(
            route -> {
              throw new IllegalArgumentException(route + " is outside the vocabulary");
            });
    if (!(qaSampling >= 0 && qaSampling <= 1)) {
      throw new IllegalArgumentException("qaSampling must be from 0 to 1");
    }
  }

  /** Whether this policy governs decisions of this tenant (or without one). */
  public boolean covers(Optional<String> tenant) {
    return tenants.isEmpty() || tenant.map(tenants::contains).orElse(false);
  }

  /** The declared inputs every request must carry, in document order. */
  public List<String> requiredInputs() {
    return inputs.keySet().stream().filter(name -> !optionalInputs.contains(name)).toList();
  }

  /** The names, of those given, that this version does not declare as inputs, in their order. */
  public List<String> undeclared(java.util.Collection<String> names) {
    return names.stream().filter(name -> !inputs.containsKey(name)).toList();
  }

  /** The codes of {@link #reasonCodes()}, in document order: what a verdict may carry. */
  public List<String> reasonCodeIds() {
    return reasonCodes.stream().map(ReasonCode::code).toList();
  }

  /**
   * Each of {@code codes} with the words this version gives it; a code it does not list (a review's
   * own list, when the policy has none) is shown as itself.
   */
  public List<ReasonCode> describe(List<String> codes) {
    return codes.stream()
        .map(
            code ->
                reasonCodes.stream()
                    .filter(c -> c.code().equals(code))
                    .findFirst()
                    .orElseGet(() -> ReasonCode.plain(code)))
        .toList();
  }

  /** Guardrails first, then rules, in evaluation order. */
  public List<PolicyRule> allRules() {
    return Stream.concat(guardrails.stream(), rules.stream()).toList();
  }
}
