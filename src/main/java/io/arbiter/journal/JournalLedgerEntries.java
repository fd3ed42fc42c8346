package io.arbiter.journal;

import io.arbiter.ledger.LedgerEntries;
import java.util.Optional;
import java.util.function.BiConsumer;

/** The ledger's entries are the journal's: each record's entry bytes, at its sequence number. */
public record JournalLedgerEntries(Journal journal) implements LedgerEntries {

  @Override
  public Optional<byte[]> entry(long seq) {
    return journal.read(seq).map(JournalRecord::entry);
  }

  @Override
  public long size() {
    return journal.size();
  }

  @Override
  public void forEach(long from, long to, BiConsumer<Long, byte[]> sink) {
    journal.forEach(
        from,
        to,
        record -> {
          sink.accept(record.sequence(), record.entry());
          return true;
        });
  }
}
