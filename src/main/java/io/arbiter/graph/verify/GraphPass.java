package io.arbiter.graph.verify;

import io.arbiter.graph.prov.GraphReads;
import io.arbiter.graph.prov.GraphReads.NamedGraph;
import io.arbiter.graph.store.ProvStore;
import io.arbiter.graph.store.RecordQuads;
import io.arbiter.graph.verify.LedgerVerifier.Fault;
import io.arbiter.graph.verify.LedgerVerifier.FaultKind;
import io.arbiter.jobs.Progress;
import io.arbiter.journal.Journal;
import io.arbiter.journal.JournalException;
import io.arbiter.journal.JournalRecord;
import io.arbiter.ledger.LedgerEntry;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.jena.graph.Triple;

/**
 * The store against the journal, both read front to back at once: the journal in sequence order,
 * the store in its own ({@link GraphReads.Snapshot#graphs}, the ledger graph passed over). A store
 * projected from the journal keeps its graphs in nearly the journal's order, so the two readings
 * meet record by record; a store larger than memory is read once, never looked up by name a million
 * times (1,000,000 records, a 29.5 GB store on a 24 GB machine: 450 s by name,
 * docs/performance.md).
 *
 * <p>Where the orders part (a bundle deleted, a graph written out of turn, a graph the journal
 * lacks), up to {@link #READ_AHEAD} store graphs wait for their record. A record whose graph was
 * not met nearby is noted by sequence, a store graph whose record was not met by name only; at the
 * end, each noted record whose graph the store holds is compared by looking the graph up, the rest
 * are missing, and the names no record claims are graphs the journal lacks. Memory stays bounded by
 * the read-ahead, save one name per store graph out of turn. Comparisons run on workers, in a
 * window, as in the journal pass; faults come out in sequence order.
 */
final class GraphPass {

  /** Store graphs held while their records are awaited: 1,024 bundles are some 20 MB of triples. */
  static final int READ_AHEAD = 1024;

  private final ProvStore store;
  private final Journal journal;
  private final long entries;
  private final String ledgerGraph;
  private final Progress progress;
  private final int readAhead;

  GraphPass(
      ProvStore store,
      Journal journal,
      long entries,
      String ledgerGraph,
      Progress progress,
      int readAhead) {
    this.store = store;
    this.journal = journal;
    this.entries = entries;
    this.ledgerGraph = ledgerGraph;
    this.progress = progress;
    this.readAhead = readAhead;
  }

  /** Adds what it finds to {@code faults}, and returns how many journal records it compared. */
  long run(List<Fault> faults) {
    long projected = store.projected();
    // A running server records and projects while this runs: the store is ahead only of what
    // the journal holds after its watermark was read (the journal only grows), not of what the
    // journal pass read before. Bundles are compared up to what that pass verified.
    long journalNow = journal.size();
    if (projected > journalNow) {
      faults.add(
          LedgerVerifier.fault(
              FaultKind.STORE_AHEAD,
              journalNow,
              null,
              "the store says it holds "
                  + projected
                  + " journal records, but the journal has "
                  + journalNow));
    }
    long holds = Math.min(projected, entries);
    progress.total(entries + holds);
    ExecutorService workers = LedgerVerifier.workers("arbiter-verify-graph");
    try {
      List<Fault> found = store.read(snapshot -> new Meeting(snapshot, holds, workers).run());
      found.sort(
          Comparator.comparing((Fault fault) -> fault.sequence().orElse(Long.MAX_VALUE))
              .thenComparing(fault -> fault.bundle().orElse("")));
      faults.addAll(found);
    } finally {
      workers.shutdownNow();
    }
    return holds;
  }

  /** One reading of the journal and the store side by side, within one read of the store. */
  private final class Meeting {

    private final GraphReads.Snapshot snapshot;
    private final long holds;
    private final ExecutorService workers;
    private final Iterator<NamedGraph> graphs;
    private final List<Fault> faults = new java.util.ArrayList<>();
    private final ArrayDeque<Future<List<Fault>>> window = new ArrayDeque<>();

    /** Store graphs read ahead of their records, oldest first. */
    private final LinkedHashMap<String, List<Triple>> waiting = new LinkedHashMap<>();

    /** Store graphs that waited too long, by name (their triples are read again if needed). */
    private final Set<String> outOfTurn = new HashSet<>();

    /** Records whose graph the store did not show nearby, in sequence order. */
    private long[] unmet = new long[16];

    private int unmetCount;

    /** Where the store's graphs ran out (or the journal could not be read on): all unmet after. */
    private long unmetFrom;

    Meeting(GraphReads.Snapshot snapshot, long holds, ExecutorService workers) {
      this.snapshot = snapshot;
      this.holds = holds;
      this.workers = workers;
      this.graphs = snapshot.graphs(Set.of(ledgerGraph));
    }

    List<Fault> run() {
      long[] read = {0};
      try {
        journal.forEach(
            0,
            holds,
            record -> {
              progress.advance(1);
              read[0]++;
              meet(record);
              return true;
            });
      } catch (JournalException e) {
        // The journal pass reported the damage; check what could be read.
      }
      unmetFrom = read[0];
      while (graphs.hasNext()) {
        outOfTurn.add(graphs.next().name());
      }
      outOfTurn.addAll(waiting.keySet());
      waiting.clear();
      settleUnmet();
      drain(0);
      extraGraphs();
      return faults;
    }

    /** A record in sequence order: compared with its graph if the store shows it within reach. */
    private void meet(JournalRecord record) {
      String name = RecordQuads.graphName(record);
      List<Triple> triples = waiting.remove(name);
      for (int looked = 0; triples == null && looked < readAhead && graphs.hasNext(); looked++) {
        NamedGraph next = graphs.next();
        if (next.name().equals(name)) {
          triples = next.triples();
        } else {
          waiting.put(next.name(), next.triples());
          if (waiting.size() > readAhead) {
            Map.Entry<String, List<Triple>> eldest = waiting.entrySet().iterator().next();
            outOfTurn.add(eldest.getKey());
            waiting.remove(eldest.getKey());
          }
        }
      }
      if (triples == null) {
        if (unmetCount == unmet.length) {
          unmet = Arrays.copyOf(unmet, 2 * unmetCount);
        }
        unmet[unmetCount++] = record.sequence();
      } else {
        compare(record, triples);
      }
    }

    private void compare(JournalRecord record, List<Triple> triples) {
      LedgerEntry entry;
      try {
        entry = LedgerEntry.parse(record.entry());
      } catch (IllegalArgumentException e) {
        return; // the journal pass reported it
      }
      window.add(workers.submit(() -> LedgerVerifier.compare(record, entry, triples)));
      drain(LedgerVerifier.WINDOW);
    }

    private void drain(int leave) {
      while (window.size() > leave) {
        faults.addAll(LedgerVerifier.await(window.remove()));
      }
    }

    /**
     * The records the meeting passed by: a graph the store showed out of turn is looked up and
     * compared; one it never showed is missing.
     */
    private void settleUnmet() {
      long from = unmetCount > 0 ? unmet[0] : unmetFrom;
      if (from >= holds) {
        return;
      }
      int[] next = {0};
      try {
        journal.forEach(
            from,
            holds,
            record -> {
              long seq = record.sequence();
              boolean passedBy = seq >= unmetFrom;
              if (next[0] < unmetCount && unmet[next[0]] == seq) {
                next[0]++;
                passedBy = true;
              }
              if (passedBy) {
                String name = RecordQuads.graphName(record);
                var triples = outOfTurn.remove(name) ? snapshot.triples(name) : null;
                if (triples != null && triples.isPresent()) {
                  compare(record, triples.get());
                } else {
                  faults.add(
                      LedgerVerifier.fault(
                          FaultKind.BUNDLE_MISSING,
                          record.sequence(),
                          name,
                          "bundle " + name + " (sequence " + record.sequence() + ") is missing"));
                }
              }
              return true;
            });
      } catch (JournalException e) {
        // As above.
      }
    }

    /**
     * Store graphs no compared record claims: a record appended after the store's watermark was
     * read may claim them (a running server projects meanwhile); the rest the journal lacks.
     */
    private void extraGraphs() {
      if (outOfTurn.isEmpty()) {
        return;
      }
      try {
        journal.forEach(
            holds,
            journal.size(),
            record -> {
              outOfTurn.remove(RecordQuads.graphName(record));
              return !outOfTurn.isEmpty();
            });
      } catch (JournalException e) {
        return; // the journal pass reported the damage; what the journal holds is unknown
      }
      for (String name : outOfTurn) {
        faults.add(
            LedgerVerifier.fault(
                FaultKind.BUNDLE_WITHOUT_ENTRY,
                null,
                name,
                "the store holds graph " + name + ", which no journal record holds"));
      }
    }
  }
}
