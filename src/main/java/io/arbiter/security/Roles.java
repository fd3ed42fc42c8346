package io.arbiter.security;

import java.util.List;
import java.util.function.Predicate;

/** The roles of Arbiter, as declared to the container and mapped to users or groups. */
public final class Roles {
  private Roles() {}

  public static final String INTEGRATOR = "integrator";
  public static final String REVIEWER = "reviewer";
  public static final String LEAD_REVIEWER = "lead-reviewer";
  public static final String AUDITOR = "auditor";
  public static final String POLICY_AUTHOR = "policy-author";
  public static final String POLICY_APPROVER = "policy-approver";

  /** Registers data sources, datasets, features and model versions. */
  public static final String DATA_STEWARD = "data-steward";

  public static final String ADMIN = "admin";

  /** Every role, for a caller's roles taken once (a check of each against the container). */
  public static final List<String> ALL =
      List.of(
          INTEGRATOR,
          REVIEWER,
          LEAD_REVIEWER,
          AUDITOR,
          POLICY_AUTHOR,
          POLICY_APPROVER,
          DATA_STEWARD,
          ADMIN);

  /**
   * Whether a caller may see every decision rather than only the ones they submitted. Integrators
   * see their own; auditors and admins see all. Reviewers see decisions only through their review
   * tasks ({@code /api/v1/reviews}), which withhold the model's output in blind review: reading the
   * decision directly would defeat it.
   */
  public static boolean readsAllDecisions(Predicate<String> hasRole) {
    return hasRole.test(AUDITOR) || hasRole.test(ADMIN);
  }
}
