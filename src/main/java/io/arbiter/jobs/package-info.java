/**
 * Reports run as jobs: a caller starts a long report (a backtest, a coverage or shadow report, a
 * dataset's impact, a verification of the ledger), gets its job at once, and reads its state,
 * progress and result later, or cancels it. {@link io.arbiter.jobs.JobRegistry} keeps the jobs
 * (bounded per caller, forgotten a while after they finish); {@link io.arbiter.jobs.Progress} is
 * what report code reports its progress to and learns of a cancellation from.
 *
 * <p>Plain Java: imports {@code problem} only (and CDI and MicroProfile Config in {@link
 * io.arbiter.jobs.JobsWiring}), so that every capability's report code may depend on it. The HTTP
 * side ({@code Prefer: respond-async}, {@code /api/v1/jobs}) is in {@code jobs.api}.
 */
package io.arbiter.jobs;
