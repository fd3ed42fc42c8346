package io.arbiter.decision;

import io.arbiter.policy.PolicyParser;
import io.arbiter.problem.FieldError;
import java.util.List;
import java.util.Optional;

/**
 * Which decisions a figure is about: those of a model (and, within it, one version) for a tenant.
 * An absent part matches every decision, so {@link #ALL} matches all; a team reads its own figures
 * by naming its model or tenant.
 *
 * @param modelVersion present only with {@code model}
 */
public record DecisionScope(
    Optional<String> model, Optional<String> modelVersion, Optional<String> tenant) {

  public static final DecisionScope ALL =
      new DecisionScope(Optional.empty(), Optional.empty(), Optional.empty());

  public DecisionScope {
    if (modelVersion.isPresent() && model.isEmpty()) {
      throw new IllegalArgumentException("a model version is named with its model");
    }
  }

  /**
   * The scope of three query parameters, each absent or an id ({@link PolicyParser#ID}); what is
   * wrong is added to {@code errors}, naming the parameter, and the scope is then {@link #ALL}.
   */
  public static DecisionScope parse(
      String model, String modelVersion, String tenant, List<FieldError> errors) {
    int before = errors.size();
    check(model, "model", errors);
    check(modelVersion, "modelVersion", errors);
    check(tenant, "tenant", errors);
    if (modelVersion != null && model == null) {
      errors.add(new FieldError("modelVersion", "is given with model"));
    }
    return errors.size() > before
        ? ALL
        : new DecisionScope(
            Optional.ofNullable(model),
            Optional.ofNullable(modelVersion),
            Optional.ofNullable(tenant));
  }

  private static void check(String value, String parameter, List<FieldError> errors) {
    if (value != null && !PolicyParser.ID.matcher(value).matches()) {
      errors.add(new FieldError(parameter, "must match " + PolicyParser.ID.pattern()));
    }
  }

  public boolean contains(DecisionSummary decision) {
    return model.map(decision.model().name()::equals).orElse(true)
        && modelVersion.map(decision.model().version()::equals).orElse(true)
        && tenant.map(t -> decision.tenant().filter(t::equals).isPresent()).orElse(true);
  }
}
