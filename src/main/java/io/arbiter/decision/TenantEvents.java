package io.arbiter.decision;

/**
 * Which recorded events a caller bound to tenants may see, by what each event says of itself: its
 * type and the resource it is about. {@code graph.api.TenantBundles} holds the rule (its bundles
 * are these events); this port lets packages the graph depends on (the ledger's entries) ask it.
 */
public interface TenantEvents {

  /** Whether an event of {@code eventType} about {@code subjectIri} is visible in {@code scope}. */
  boolean visible(TenantScope scope, String eventType, String subjectIri);
}
