/**
 * Decisions: intake, routing through the policy in force, recording, and reading back.
 *
 * <p>{@link io.arbiter.decision.DecisionService} holds the use cases in plain Java, and intake
 * first asks {@link io.arbiter.decision.TenantGrants} whether the caller may name the request's
 * tenant; {@code decision.api} holds the JAX-RS resource and its JSON views. Records through {@code
 * io.arbiter.event}; reads through {@link io.arbiter.decision.DecisionRecords}, which {@code graph}
 * implements. Never imports Jena or JAX-RS outside {@code api}.
 */
package io.arbiter.decision;
