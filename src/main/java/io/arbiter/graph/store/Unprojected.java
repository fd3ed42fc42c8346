package io.arbiter.graph.store;

import io.arbiter.journal.Draft;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The records the journal holds and the store does not yet: which bundle and subject each is, and
 * since when it is durable. Reads of a resource just recorded find its bundles here and read them
 * from the journal, so a decision answers at once after its 201 however far the projection lags.
 *
 * <p>Entries are added by the journal's sequencer before a record is visible to anyone, and removed
 * by the projector after the store committed it; in between, either source gives the same bundle
 * (both hold the journal's bytes), so a reader racing the projector reads one or the other, never
 * neither. Its size is bounded by intake's backpressure on the projection's lag.
 */
public final class Unprojected {

  private record Pending(String bundleIri, String subjectIri, long durableNanos) {}

  private final ConcurrentSkipListMap<Long, Pending> bySequence = new ConcurrentSkipListMap<>();
  private final Map<String, Long> byBundle = new ConcurrentHashMap<>();

  /** A journal listener: the record is durable and not yet in the store. */
  void durable(long sequence, Draft draft) {
    bySequence.put(sequence, new Pending(draft.bundleIri(), draft.subjectIri(), System.nanoTime()));
    byBundle.put(draft.bundleIri(), sequence);
  }

  /** The store now holds every record before {@code projected}. */
  void projected(long projected) {
    ConcurrentNavigableMap<Long, Pending> done = bySequence.headMap(projected);
    for (Pending pending : done.values()) {
      byBundle.remove(pending.bundleIri());
    }
    done.clear();
  }

  /** The journal sequence of a bundle the store does not hold yet. */
  Optional<Long> sequenceOf(String bundleIri) {
    return Optional.ofNullable(byBundle.get(bundleIri));
  }

  /** The journal sequence of each bundle the store does not hold yet, as of now. */
  Map<String, Long> bundlesNow() {
    return Map.copyOf(byBundle);
  }

  /**
   * The records the store lacks as of now, bundle and subject, in log order. Taken before the store
   * is asked, it leaves no record out of both: one projected meanwhile is in the store's answer.
   */
  Now now() {
    return new Now(List.copyOf(bySequence.values()));
  }

  /** {@link Unprojected} at one moment. */
  static final class Now {
    private final List<Pending> pending;

    private Now(List<Pending> pending) {
      this.pending = pending;
    }

    /** The bundles of the events about {@code subjectIri}, in log order. */
    List<String> about(String subjectIri) {
      List<String> found = new ArrayList<>();
      for (Pending entry : pending) {
        if (entry.subjectIri().equals(subjectIri)) {
          found.add(entry.bundleIri());
        }
      }
      return found;
    }

    boolean isEmpty() {
      return pending.isEmpty();
    }
  }

  /** How long the oldest record the store lacks has been durable, in nanoseconds (0: none). */
  long oldestAgeNanos() {
    var oldest = bySequence.firstEntry();
    return oldest == null ? 0 : Math.max(0, System.nanoTime() - oldest.getValue().durableNanos());
  }
}
