package io.arbiter.graph.store;

import io.arbiter.journal.Draft;
import io.arbiter.ledger.LedgerEntry;

/**
 * An event ready for the journal: its bundle as canonical N-Quads and its ledger entry with the
 * sequence number left open, both made on the caller's thread.
 */
record PreparedEvent(
    String bundleIri, String subjectIri, byte[] bundle, LedgerEntry.Template entryTemplate)
    implements Draft {

  @Override
  public byte[] entry(long sequence) {
    return entryTemplate.bytes(sequence);
  }
}
