/**
 * The decisions REST API: {@code /api/v1/decisions}. Parses and authorizes, calls {@link
 * io.arbiter.decision.DecisionService}, and renders views; no logic of its own.
 */
package io.arbiter.decision.api;
