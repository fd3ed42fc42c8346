package io.arbiter.decision;

import io.arbiter.policy.Facts;

/**
 * What a recorded decision was evaluated on, without the rest of it: all a backtest needs to
 * evaluate a candidate policy over history.
 *
 * @param summary the decision as listed: id, time, tenant, model, recorded route and rule
 * @param facts the facts pinned at intake
 */
public record PinnedFacts(DecisionSummary summary, Facts facts) {}
