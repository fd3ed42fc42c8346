/**
 * The graph: every event as an immutable PROV-O bundle, projected from the journal into a graph
 * store, read back behind the capabilities' record ports, checked against the journal and the
 * ledger, and served over HTTP. Split by job:
 *
 * <ul>
 *   <li>{@code graph.prov}: what the bundles mean (the mapping, the vocabulary, the bundle digest)
 *       and the readers that read them back, over the read port they own;
 *   <li>{@code graph.store}: the stores that keep them and the write path behind the journal;
 *   <li>{@code graph.verify}: checking the store against the journal and the ledger, and rebuilding
 *       it;
 *   <li>{@code graph.api}: all of it over HTTP.
 * </ul>
 *
 * <p>This package holds only {@link io.arbiter.graph.GraphWiring}, the CDI producers that assemble
 * the parts from configuration: it depends on every part, and no part depends on it. Only {@code
 * io.arbiter.graph..} talks to Jena.
 */
package io.arbiter.graph;
