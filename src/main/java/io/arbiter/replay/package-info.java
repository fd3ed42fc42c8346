/**
 * Evaluating recorded decisions again: replay of one decision with its pinned policy version,
 * backtest of a candidate version over history, shadow agreement and rule coverage. Everything here
 * reads; nothing is recorded.
 */
package io.arbiter.replay;
