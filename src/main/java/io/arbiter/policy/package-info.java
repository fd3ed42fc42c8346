/**
 * Policies: documents that route decisions, compiled once and evaluated as pure functions.
 *
 * <p>Owns the policy document model and its parser ({@link io.arbiter.policy.PolicyParser}), CEL
 * type-checking and compilation ({@link io.arbiter.policy.PolicyCompiler}; conditions in CEL's
 * typed core run as plain Java, checked against CEL's interpreter by a differential test),
 * evaluation with a trace ({@link io.arbiter.policy.CompiledPolicy#evaluate}), versions and their
 * lifecycle ({@link io.arbiter.policy.PolicyCatalog}) and deterministic QA sampling. Imports CEL,
 * SnakeYAML Engine, JSON-P and {@code io.arbiter.event}; never Jena or JAX-RS. Evaluation does no
 * I/O and reads no clock, so a recorded decision can be evaluated again and give the same answer;
 * the one exception is the evaluation deadline, which only ever turns an answer into a fail-safe
 * review.
 */
package io.arbiter.policy;
