/**
 * The replay REST API: {@code POST /api/v1/decisions/{id}/replay} and the analyses of a policy
 * version ({@code backtest}, {@code shadow-report}, {@code coverage}) under {@code
 * /api/v1/policies/{id}/versions/{v}}. Parses and authorizes, calls {@link
 * io.arbiter.replay.ReplayService}, and renders views; the analyses are answered through {@link
 * io.arbiter.jobs.api.Reports}, at once or as jobs.
 */
package io.arbiter.replay.api;
