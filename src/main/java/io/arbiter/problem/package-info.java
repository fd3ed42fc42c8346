/**
 * The problems an API call can run into, as plain Java: a {@link io.arbiter.problem.ProblemType}
 * (stable type URI, HTTP status, title) and the {@link io.arbiter.problem.FieldError}s at fault.
 *
 * <p>Services throw {@link io.arbiter.problem.ProblemException}; {@code io.arbiter.web} renders it
 * as RFC 9457 {@code application/problem+json}. No JAX-RS here, so services stay free of it.
 */
package io.arbiter.problem;
