/**
 * The journal: Arbiter's system of record. Every event is one record, appended once, forced to disk
 * before its caller hears of it, and never changed afterwards; the graph store is a projection of
 * the journal and the ledger's entries are the journal's entries.
 *
 * <p>{@link io.arbiter.journal.Journal} is the port; {@link io.arbiter.journal.FileJournal} keeps
 * it in segment files under {@code <data-dir>/journal/} (its format is documented there and in
 * docs/operations.md). A record holds the ledger entry's bytes (RFC 8785) and the bundle's
 * canonical N-Quads, opaque to this package: it frames, checksums, sequences and forces them.
 *
 * <p>Plain Java on the JDK: no Jena, no JAX-RS, no capability. The write path ({@code graph})
 * prepares records on request threads and the journal's single sequencer only numbers and appends
 * them.
 */
package io.arbiter.journal;
