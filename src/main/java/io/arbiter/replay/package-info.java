/**
 * Evaluating recorded decisions again: replay of one decision with its pinned policy version,
 * backtest of a candidate version over history, shadow agreement and rule coverage. Everything here
 * reads; nothing is recorded. The reports tell a {@link io.arbiter.jobs.Progress} as they go and
 * stop when it says their job was cancelled.
 */
package io.arbiter.replay;
