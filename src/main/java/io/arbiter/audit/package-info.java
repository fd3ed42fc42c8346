/**
 * The auditors' library of named, parameterised SPARQL queries ({@code ontology/queries/}): their
 * headers read into typed parameters, listed and run through the API with values bound by type,
 * never spliced into the text.
 *
 * <p>Plain Java; binding and running are the graph's ({@code io.arbiter.graph.api.AuditQueryRunner}
 * and {@code AuditQueryResource}).
 */
package io.arbiter.audit;
