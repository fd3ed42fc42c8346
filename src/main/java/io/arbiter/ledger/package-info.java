/**
 * The tamper-evident ledger: an RFC 9162 Merkle tree over the event log, its proofs and their
 * verification. Hashing ({@link io.arbiter.ledger.MerkleHashes}) is kept apart from the proof
 * maths, and generation ({@link io.arbiter.ledger.MerkleTree}) apart from verification ({@link
 * io.arbiter.ledger.MerkleProofs}), so a verifier can be checked against a tree it did not build.
 *
 * <p>Plain Java on the JDK's SHA-256 (BouncyCastle is for signatures, which come with checkpoints).
 * Storage as C2SP tlog-tiles, signed checkpoints, the writer's ledger entries and the verifier
 * command come next (issue 3).
 */
package io.arbiter.ledger;
