/**
 * Reports over HTTP as jobs: {@link io.arbiter.jobs.api.Reports} answers a report request now (no
 * {@code Prefer}) or as a job ({@code Prefer: respond-async}, RFC 7240: {@code 202 Accepted} with
 * the job and its {@code Location}); {@code /api/v1/jobs} reads, lists and cancels a caller's jobs.
 *
 * <p>May import JAX-RS, MicroProfile, {@code jobs}, {@code web}, {@code security} and {@code
 * problem}; the report resources of other capabilities depend on it, never the reverse.
 */
package io.arbiter.jobs.api;
