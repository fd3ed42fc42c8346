package io.arbiter.graph.api;

import io.arbiter.decision.DecisionId;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.TenantScope;
import io.arbiter.event.IriScheme;
import io.arbiter.graph.prov.BundleFilter;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which bundles a caller bound to tenants may see in the graph (SPARQL, audit queries, {@code
 * /id/**}). A bundle is tenant data when the event it records is about a decision (the decision's
 * own bundle, its outcomes) or about a review task (each step of the task, which is about one
 * decision): it is visible when that decision's tenant is in the caller's scope. The shared
 * registry (models, datasets, data sources, features) and policy versions are not any tenant's data
 * and stay visible. Everything else (hourly intake tallies, drift and SLO events, which count every
 * tenant's decisions together, and the ledger graph) is hidden: what cannot be attributed to the
 * caller's tenants is not shown.
 *
 * <p>Pure: the decisions and tasks are looked up through the functions given, so the rule is tested
 * without a store or a server.
 */
public final class TenantBundles implements io.arbiter.decision.TenantEvents {

  /** Event types, by prefix, whose bundles are shared by every tenant. */
  static final List<String> SHARED = List.of("policy.", "model.", "registry.");

  private final IriScheme iris;
  private final Function<DecisionId, Optional<DecisionSummary>> decisions;
  private final Function<String, Optional<DecisionId>> decisionOfTask;

  /**
   * @param decisions a decision by id, if it exists
   * @param decisionOfTask the decision a review task is about, by task id, if the task exists
   */
  public TenantBundles(
      IriScheme iris,
      Function<DecisionId, Optional<DecisionSummary>> decisions,
      Function<String, Optional<DecisionId>> decisionOfTask) {
    this.iris = iris;
    this.decisions = decisions;
    this.decisionOfTask = decisionOfTask;
  }

  /**
   * The refusal for a caller bound to tenants when the graph store cannot show it some bundles only
   * (a remote SPARQL store): better nothing than every tenant's data.
   */
  public static ProblemException cannotNarrow() {
    return new ProblemException(
        ProblemType.FORBIDDEN,
        "You read some tenants' data only, and this server's graph store (a remote SPARQL"
            + " store) cannot show you those alone.");
  }

  /** No filter for a global caller; else the filter of {@code scope}. */
  public Optional<BundleFilter> filterFor(TenantScope scope) {
    return scope.global()
        ? Optional.empty()
        : Optional.of((type, subject) -> visible(scope, type, subject));
  }

  /** Whether a bundle of {@code eventType} about {@code subjectIri} is visible in {@code scope}. */
  @Override
  public boolean visible(TenantScope scope, String eventType, String subjectIri) {
    if (scope.global() || SHARED.stream().anyMatch(eventType::startsWith)) {
      return true;
    }
    return decisionAbout(subjectIri).flatMap(decisions).filter(scope::sees).isPresent();
  }

  /**
   * Whether the resource {@code iri} names is visible in {@code scope}, for dereferencing: a
   * decision or a review task by its decision's tenant, a registry or policy resource always (but
   * not a model version's drift references), anything else only to global callers. Resources under
   * a visible one ({@code .../routing}) go with it.
   */
  public boolean visibleResource(TenantScope scope, String iri) {
    if (scope.global()) {
      return true;
    }
    List<String> shared =
        List.of(
            iris.model(""),
            iris.policy(""),
            iris.dataset(""),
            iris.source(""),
            iris.feature(""),
            iris.metric(""),
            iris.outcome(""));
    // A model version's drift references are drift, which bound callers' graph hides too.
    if (shared.stream().anyMatch(iri::startsWith) && !iri.contains("/references/")) {
      return true;
    }
    return decisionAbout(firstTwoSegments(iri)).flatMap(decisions).filter(scope::sees).isPresent();
  }

  /** The decision an event subject is about: a decision itself, or a review task's decision. */
  private Optional<DecisionId> decisionAbout(String subjectIri) {
    String decisionsBase = iris.decision("");
    String reviewsBase = iris.review("");
    if (subjectIri.startsWith(decisionsBase)) {
      return DecisionId.parse(IriScheme.unsegment(subjectIri.substring(decisionsBase.length())));
    }
    if (subjectIri.startsWith(reviewsBase)) {
      return decisionOfTask.apply(IriScheme.unsegment(subjectIri.substring(reviewsBase.length())));
    }
    return Optional.empty();
  }

  /** {@code base + kind/id}, without what follows (a decision's {@code /routing}). */
  private String firstTwoSegments(String iri) {
    if (!iri.startsWith(iris.base())) {
      return iri;
    }
    String path = iri.substring(iris.base().length());
    int kind = path.indexOf('/');
    if (kind < 0) {
      return iri;
    }
    int end = path.indexOf('/', kind + 1);
    return end < 0 ? iri : iris.base() + path.substring(0, end);
  }
}
