package io.arbiter.graph;

import io.arbiter.ledger.LedgerEntry;
import org.apache.jena.graph.Graph;

/**
 * One event's named graph, ready to store, with the ledger entry that must be stored in the same
 * transaction.
 *
 * @param triples the bundle as the store will return it ({@link ProvStore#asStored})
 */
public record Bundle(String iri, long sequence, Graph triples, LedgerEntry entry) {}
