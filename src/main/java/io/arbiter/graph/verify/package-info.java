/**
 * Checking and rebuilding: {@link io.arbiter.graph.verify.LedgerVerifier} checks the journal
 * against a signed checkpoint and its tiles, and the graph store against the journal (every bundle
 * hashes to its entry's {@code bundleDigest}); {@link io.arbiter.graph.verify.VerifyCommand} and
 * {@link io.arbiter.graph.verify.RebuildCommand} run it, and a rebuild of the store from the
 * journal, from the command line.
 *
 * <p>May import Jena (TDB2 for the rebuild), {@code ledger}, {@code journal}, {@code event}, {@code
 * graph.store}, {@code graph.prov} and {@code jobs} (the {@code Progress} a verification tells);
 * not {@code graph.api}.
 */
package io.arbiter.graph.verify;
