package io.arbiter.review;

import java.util.Locale;

/** Why a task exists. */
public enum TaskKind {
  /** The policy routed the decision to humans; the verdict settles it. */
  ESCALATION,
  /**
   * The policy automated the decision and QA sampling picked it for an independent post-hoc review;
   * the verdict measures the automation and changes nothing.
   */
  QA;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
