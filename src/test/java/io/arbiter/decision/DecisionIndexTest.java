package io.arbiter.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.ModelVersionRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DecisionIndexTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static DecisionSummary summary(int minute, Route route, String model, String by) {
    return summary(minute, route, model, by, "case-" + minute, "r");
  }

  private static DecisionSummary summary(
      int minute, Route route, String model, String by, String subject, String rule) {
    Instant at = T0.plusSeconds(60L * minute);
    return new DecisionSummary(
        DecisionId.next(at),
        subject,
        new ModelVersionRef(model, "1"),
        Optional.empty(),
        route,
        RuleKind.RULE,
        Optional.of(rule),
        "approve",
        0.9,
        Optional.empty(),
        by,
        at,
        Optional.empty(),
        minute,
        "b" + minute,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static DecisionQuery query(
      Optional<Route> route,
      Optional<Instant> from,
      Optional<Instant> to,
      Optional<String> by,
      Optional<PageCursor> after,
      int limit) {
    return new DecisionQuery(
        route,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        from,
        to,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        by,
        after,
        limit);
  }

  @Test
  void list_pagesNewestFirst_withoutGapsOrRepeats() {
    DecisionIndex index = new DecisionIndex();
    List<DecisionSummary> all = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      DecisionSummary s = summary(i, i % 2 == 0 ? Route.APPROVE : Route.REVIEW, "m", "alice");
      all.add(0, s);
      index.add(s);
    }
    List<DecisionSummary> seen = new ArrayList<>();
    Optional<PageCursor> cursor = Optional.empty();
    do {
      Page<DecisionSummary> page =
          index.list(
              query(
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  cursor,
                  10));
      seen.addAll(page.items());
      cursor = page.next();
    } while (cursor.isPresent());
    assertEquals(all, seen);
  }

  @Test
  void list_filtersByRouteSubmitterAndTimeWindow() {
    DecisionIndex index = new DecisionIndex();
    for (int i = 0; i < 10; i++) {
      index.add(
          summary(i, i % 2 == 0 ? Route.APPROVE : Route.REVIEW, "m", i < 5 ? "alice" : "bob"));
    }
    Page<DecisionSummary> page =
        index.list(
            query(
                Optional.of(Route.REVIEW),
                Optional.of(T0.plusSeconds(60 * 2)),
                Optional.of(T0.plusSeconds(60 * 9)),
                Optional.of("bob"),
                Optional.empty(),
                50));
    assertEquals(
        List.of("case-7", "case-5"), page.items().stream().map(DecisionSummary::subject).toList());
    assertFalse(page.next().isPresent());
  }

  private static DecisionQuery bySubjectAndRule(
      String subject, String rule, Optional<Instant> to, Optional<PageCursor> after, int limit) {
    DecisionQuery all =
        query(Optional.empty(), Optional.empty(), to, Optional.empty(), after, limit);
    return new DecisionQuery(
        all.route(),
        all.status(),
        all.model(),
        all.modelVersion(),
        all.from(),
        all.to(),
        all.tenant(),
        Optional.of(subject),
        Optional.ofNullable(rule),
        all.submittedBy(),
        all.after(),
        all.limit());
  }

  private static List<String> minutes(Page<DecisionSummary> page) {
    return page.items().stream().map(s -> String.valueOf(s.sequence())).toList();
  }

  @Test
  void list_bySubjectAndRule_readsTheSubjectsDecisionsInPagesAndWindows() {
    DecisionIndex index = new DecisionIndex();
    for (int i = 0; i < 12; i++) {
      index.add(summary(i, Route.APPROVE, "m", "alice", "case-" + i % 3, "r" + i % 2));
    }
    assertEquals(
        List.of("10", "7", "4", "1"),
        minutes(
            index.list(bySubjectAndRule("case-1", null, Optional.empty(), Optional.empty(), 50))));
    Page<DecisionSummary> first =
        index.list(bySubjectAndRule("case-1", "r1", Optional.empty(), Optional.empty(), 1));
    assertEquals(List.of("7"), minutes(first));
    Page<DecisionSummary> second =
        index.list(bySubjectAndRule("case-1", "r1", Optional.empty(), first.next(), 1));
    assertEquals(List.of("1"), minutes(second));
    assertFalse(second.next().isPresent());
    assertEquals(
        List.of("4", "1"),
        minutes(
            index.list(
                bySubjectAndRule(
                    "case-1", null, Optional.of(T0.plusSeconds(60 * 7)), Optional.empty(), 50))));
    assertTrue(
        index
            .list(bySubjectAndRule("case-9", null, Optional.empty(), Optional.empty(), 50))
            .items()
            .isEmpty());
  }

  @Test
  void list_timeWindow_includesFromAndExcludesTo() {
    DecisionIndex index = new DecisionIndex();
    for (int i = 0; i < 5; i++) {
      index.add(summary(i, Route.APPROVE, "m", "alice"));
    }
    Page<DecisionSummary> page =
        index.list(
            query(
                Optional.empty(),
                Optional.of(T0.plusSeconds(60)),
                Optional.of(T0.plusSeconds(60 * 3)),
                Optional.empty(),
                Optional.empty(),
                50));
    assertEquals(
        List.of("case-2", "case-1"), page.items().stream().map(DecisionSummary::subject).toList());
  }

  @Test
  void list_cursorOutsideTheWindow_givesAnEmptyPage() {
    DecisionIndex index = new DecisionIndex();
    for (int i = 0; i < 5; i++) {
      index.add(summary(i, Route.APPROVE, "m", "alice"));
    }
    DecisionSummary newest =
        index
            .list(
                query(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    1))
            .items()
            .get(0);
    PageCursor cursor = new PageCursor(newest.submittedAt(), newest.id());
    Page<DecisionSummary> afterNewest =
        index.list(
            query(
                Optional.empty(),
                Optional.empty(),
                Optional.of(T0.plusSeconds(60 * 2)),
                Optional.empty(),
                Optional.of(cursor),
                50));
    assertEquals(
        List.of("case-1", "case-0"),
        afterNewest.items().stream().map(DecisionSummary::subject).toList());
    DecisionSummary oldest = summary(0, Route.APPROVE, "m", "alice");
    Page<DecisionSummary> none =
        index.list(
            query(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(new PageCursor(T0.minusSeconds(1), oldest.id())),
                50));
    assertTrue(none.items().isEmpty());
  }

  @Test
  void cursor_roundTrips_andRejectsGarbage() {
    PageCursor cursor = new PageCursor(T0, DecisionId.next(T0));
    assertEquals(Optional.of(cursor), PageCursor.decode(cursor.encode()));
    assertEquals(Optional.empty(), PageCursor.decode("not-a-cursor"));
    assertEquals(Optional.empty(), PageCursor.decode("%%%"));
  }

  @Test
  void claim_sameKeySameBody_returnsTheFirstDecision() {
    DecisionIndex index = new DecisionIndex();
    assertTrue(index.claim("alice", "k", "d1").isEmpty());
    CompletableFuture<DecisionSummary> second = index.claim("alice", "k", "d1").orElseThrow();
    assertFalse(second.isDone());
    DecisionSummary first = summary(1, Route.APPROVE, "m", "alice");
    index.settle("alice", "k", first);
    assertEquals(first, second.join());
  }

  @Test
  void claim_sameKeyOtherBody_isAConflict() {
    DecisionIndex index = new DecisionIndex();
    index.claim("alice", "k", "d1");
    ProblemException e =
        assertThrows(ProblemException.class, () -> index.claim("alice", "k", "d2"));
    assertEquals(ProblemType.IDEMPOTENCY_CONFLICT, e.type());
  }

  @Test
  void claim_keysAreScopedToTheSubmitter() {
    DecisionIndex index = new DecisionIndex();
    index.claim("alice", "k", "d1");
    assertTrue(index.claim("bob", "k", "d2").isEmpty());
  }

  @Test
  void release_afterFailure_letsTheKeyBeUsedAgain() {
    DecisionIndex index = new DecisionIndex();
    index.claim("alice", "k", "d1");
    index.release("alice", "k", new RuntimeException("store down"));
    assertTrue(index.claim("alice", "k", "d2").isEmpty());
  }

  @Test
  void decisionId_isTimeOrderedUuidV7() {
    DecisionId a = DecisionId.next(T0);
    DecisionId b = DecisionId.next(T0.plusMillis(1));
    assertTrue(a.value().compareTo(b.value()) < 0);
    assertEquals('7', a.value().charAt(14));
    assertTrue(DecisionId.parse(a.value()).isPresent());
    assertFalse(DecisionId.parse("../../etc/passwd").isPresent());
  }
}
