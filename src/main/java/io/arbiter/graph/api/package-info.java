/**
 * The graph over HTTP: {@code /sparql} (and its service description), {@code /id/**}, {@code
 * /api/v1/decisions/{id}/provenance}, {@code /api/v1/export}, {@code /api/v1/lineage}, {@code
 * /api/v1/ontology}, {@code /api/v1/audit/queries}, {@code /api/v1/ledger/verify} and {@code
 * /api/v1/journal}; the {@code Arbiter-Graph-Sequence} filter (read-your-writes), and the health
 * checks of the write path. Resources parse and authorize, call one reader or service ({@link
 * io.arbiter.graph.api.SparqlService}, {@link io.arbiter.graph.api.AuditQueryRunner}, or one of the
 * layers below), and render ({@link io.arbiter.graph.api.RdfFormats}).
 *
 * <p>May import JAX-RS, MicroProfile, {@code web}, {@code jobs.api} (the impact report and
 * verification answered as jobs), {@code security}, {@code problem}, {@code audit}, what its
 * resources check or report ({@code decision}, {@code registry}, {@code journal}, {@code ledger},
 * {@code config}), and {@code graph.prov}, {@code graph.store} and {@code graph.verify}; nothing
 * else in the graph depends on it.
 */
package io.arbiter.graph.api;
