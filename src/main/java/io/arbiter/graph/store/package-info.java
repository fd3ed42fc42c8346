/**
 * Keeping the bundles: the {@link io.arbiter.graph.store.ProvStore} port of the projection and its
 * adapters ({@link io.arbiter.graph.store.Tdb2ProvStore}, embedded; {@link
 * io.arbiter.graph.store.SparqlProvStore}, a SPARQL 1.1 server), and the write path behind the
 * journal, opened and closed together by {@link io.arbiter.graph.store.GraphRuntime}: {@link
 * io.arbiter.graph.store.JournalEventLog} prepares each record on the caller's thread, the {@link
 * io.arbiter.graph.store.Projector} applies the journal to the store, {@link
 * io.arbiter.graph.store.ProjectionReads} reads what the store does not hold yet from the journal;
 * the migration of a store written before the journal, and intake's bounds on the projection's lag.
 * The readers that need the journal itself live here too: {@link
 * io.arbiter.graph.store.ProvenanceReader} (bundles not yet projected) and {@link
 * io.arbiter.graph.store.ProvExport} (streams the journal's bundles and the ledger graph).
 *
 * <p>May import Jena (TDB2, the HTTP clients), {@code journal}, {@code ledger}, {@code event},
 * {@code config} and {@code graph.prov}; no capability, no JAX-RS, neither {@code graph.api} nor
 * {@code graph.verify}.
 */
package io.arbiter.graph.store;
