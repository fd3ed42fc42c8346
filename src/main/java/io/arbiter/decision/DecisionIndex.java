package io.arbiter.decision;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Derived, in-memory state of decisions: summaries in newest-first order for listing, and the
 * idempotency keys in use. Rebuilt from the graph at start-up; the graph stays the truth.
 *
 * <p>Memory grows with the number of decisions (a few hundred bytes each); a persistent index is
 * the next step once that matters.
 */
public final class DecisionIndex {

  private record Key(Instant at, String id) {}

  private static final Comparator<Key> NEWEST_FIRST =
      Comparator.comparing(Key::at).thenComparing(Key::id).reversed();

  /** An idempotency key's claim: the request digest and the decision it produced, once known. */
  private record Claim(String requestDigest, CompletableFuture<DecisionSummary> result) {}

  private final NavigableMap<Key, DecisionSummary> byTime =
      new ConcurrentSkipListMap<>(NEWEST_FIRST);
  private final Map<DecisionId, DecisionSummary> byId = new ConcurrentHashMap<>();

  /** Each subject's decisions, so a search for one case reads its few, not every decision. */
  private final Map<String, NavigableSet<Key>> bySubject = new ConcurrentHashMap<>();

  private final Map<String, Claim> claims = new ConcurrentHashMap<>();

  /** Adds a recorded decision. */
  public void add(DecisionSummary summary) {
    Key key = new Key(summary.submittedAt(), summary.id().value());
    byTime.put(key, summary);
    byId.put(summary.id(), summary);
    bySubject
        .computeIfAbsent(summary.subject(), s -> new ConcurrentSkipListSet<>(NEWEST_FIRST))
        .add(key);
    summary
        .idempotency()
        .ifPresent(
            i ->
                claims.putIfAbsent(
                    claimKey(summary.submittedBy(), i.key()),
                    new Claim(i.requestDigest(), CompletableFuture.completedFuture(summary))));
  }

  /** Records how a decision was settled; unknown decisions are ignored. */
  public void resolve(DecisionId id, Resolution resolution) {
    update(id, summary -> summary.resolved(resolution));
  }

  /** Records a decision's ground truth; unknown decisions are ignored. */
  public void learn(DecisionId id, GroundTruth truth) {
    update(id, summary -> summary.withTruth(truth));
  }

  private synchronized void update(
      DecisionId id, java.util.function.UnaryOperator<DecisionSummary> change) {
    DecisionSummary summary = byId.get(id);
    if (summary != null) {
      DecisionSummary changed = change.apply(summary);
      byTime.put(new Key(summary.submittedAt(), summary.id().value()), changed);
      byId.put(id, changed);
    }
  }

  /** The decisions submitted in [from, to), newest first. */
  public List<DecisionSummary> submittedBetween(Instant from, Instant to) {
    // Newest first: every entry at `to` sorts before (to, ""), and every entry at `from` before
    // (from, ""), since ids are never empty.
    return List.copyOf(byTime.subMap(new Key(to, ""), false, new Key(from, ""), false).values());
  }

  public Optional<DecisionSummary> find(DecisionId id) {
    return Optional.ofNullable(byId.get(id));
  }

  public Page<DecisionSummary> list(DecisionQuery query) {
    return list(query, summary -> true);
  }

  /** The query's page of the decisions {@code visible} accepts (pages stay full and in order). */
  public Page<DecisionSummary> list(
      DecisionQuery query, java.util.function.Predicate<DecisionSummary> visible) {
    // Start strictly after whichever bound comes later in newest-first order: the `to` bound (all
    // entries at `to` sort before (to, "")) or the cursor. One tailMap, so a cursor outside the
    // window just yields an empty page.
    Key start = null;
    if (query.to().isPresent()) {
      start = new Key(query.to().get(), "");
    }
    if (query.after().isPresent()) {
      PageCursor after = query.after().get();
      Key cursor = new Key(after.submittedAt(), after.id().value());
      start = start == null || NEWEST_FIRST.compare(cursor, start) > 0 ? cursor : start;
    }
    List<DecisionSummary> items = new ArrayList<>();
    for (DecisionSummary summary : range(query.subject(), start)) {
      if (query.from().isPresent() && summary.submittedAt().isBefore(query.from().get())) {
        break;
      }
      if (!query.matches(summary) || !visible.test(summary)) {
        continue;
      }
      if (items.size() == query.limit()) {
        DecisionSummary last = items.get(items.size() - 1);
        return new Page<>(items, Optional.of(new PageCursor(last.submittedAt(), last.id())));
      }
      items.add(summary);
    }
    return new Page<>(items, Optional.empty());
  }

  /** Newest first, strictly after {@code start} (if any): one subject's decisions, or all. */
  private Iterable<DecisionSummary> range(Optional<String> subject, Key start) {
    if (subject.isPresent()) {
      NavigableSet<Key> keys =
          bySubject.getOrDefault(subject.get(), Collections.emptyNavigableSet());
      NavigableSet<Key> after = start == null ? keys : keys.tailSet(start, false);
      return () -> after.stream().map(byTime::get).filter(Objects::nonNull).iterator();
    }
    return (start == null ? byTime : byTime.tailMap(start, false)).values();
  }

  /**
   * Claims an idempotency key for a new request. Returns empty when the caller now owns the key and
   * must {@link #settle} or {@link #release} it; otherwise the decision an earlier request with the
   * same key and body produced (waiting for it if still in flight).
   *
   * @throws ProblemException {@code idempotency-conflict} if the key was used with another body
   */
  public Optional<CompletableFuture<DecisionSummary>> claim(
      String submitter, String key, String requestDigest) {
    Claim mine = new Claim(requestDigest, new CompletableFuture<>());
    Claim existing = claims.putIfAbsent(claimKey(submitter, key), mine);
    if (existing == null) {
      return Optional.empty();
    }
    if (!existing.requestDigest().equals(requestDigest)) {
      throw new ProblemException(
          ProblemType.IDEMPOTENCY_CONFLICT,
          "This Idempotency-Key was already used with a different request body; use a new key for a new decision.");
    }
    return Optional.of(existing.result());
  }

  /** Completes a claim with the decision it produced. */
  public void settle(String submitter, String key, DecisionSummary summary) {
    Claim claim = claims.get(claimKey(submitter, key));
    if (claim != null) {
      claim.result().complete(summary);
    }
  }

  /** Gives a claim up after its request failed, so the client can retry with the same key. */
  public void release(String submitter, String key, Throwable failure) {
    Claim claim = claims.remove(claimKey(submitter, key));
    if (claim != null) {
      claim.result().completeExceptionally(failure);
    }
  }

  private static String claimKey(String submitter, String key) {
    return submitter + '\n' + key;
  }
}
