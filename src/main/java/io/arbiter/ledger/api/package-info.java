/**
 * The ledger over HTTP: the latest signed checkpoint and the public key for anyone, entries and
 * inclusion and consistency proofs for auditors. Thin: reads from {@link
 * io.arbiter.ledger.MerkleTree}, {@link io.arbiter.ledger.CheckpointPublisher} and {@link
 * io.arbiter.ledger.LedgerEntries}.
 */
package io.arbiter.ledger.api;
