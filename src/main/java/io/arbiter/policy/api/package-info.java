/**
 * The policies REST API: {@code /api/v1/policies}. Parses and authorizes, calls {@link
 * io.arbiter.policy.PolicyCatalog}, and renders views; no logic of its own.
 */
package io.arbiter.policy.api;
