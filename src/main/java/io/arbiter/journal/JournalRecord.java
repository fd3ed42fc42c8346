package io.arbiter.journal;

/**
 * One record of the journal, as stored.
 *
 * @param sequence its position, gap-free from 0
 * @param entry the ledger entry's canonical bytes (RFC 8785 JSON; the Merkle leaf is over these)
 * @param bundle the event's bundle as canonical N-Quads, UTF-8 (its SHA-256 is the entry's {@code
 *     bundleDigest})
 */
public record JournalRecord(long sequence, byte[] entry, byte[] bundle) {}
