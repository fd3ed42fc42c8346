package io.arbiter.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.decision.Decision;
import io.arbiter.decision.Resolution;
import io.arbiter.graph.prov.ProvSloRecords;
import io.arbiter.policy.Route;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestClock;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Objectives evaluated over real decisions and settlements, breaches recorded in TDB2. */
class SloMonitorTest {

  private static final String OBJECTIVES =
      """
      objectives:
        - {id: fast, kind: automated-latency, target: 0.9, latency: PT0.1S, window: PT1H, minEvents: 10}
        - {id: on-time, kind: reviews-within-sla, target: 0.5, window: PT1H, minEvents: 2}
        - {id: band, kind: escalation-rate, band: {min: 0, max: 0.5}, window: PT1H, minEvents: 4}
      """;

  @TempDir Path dir;
  private TestStore graph;
  private TestClock clock;
  private TestApp app;
  private SloMonitor slo;

  @BeforeEach
  void start() throws Exception {
    graph = new TestStore(dir);
    clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
    app = app();
  }

  private TestApp app() throws Exception {
    TestApp started =
        new TestApp(
            graph,
            List.of(
                new io.arbiter.config.SeedFile(
                    "demo", Fixtures.resource("demo/models/demo-credit.yaml"))),
            List.of(
                new io.arbiter.config.SeedFile(
                    "p", Fixtures.resource("demo/policies/demo-credit.yaml"))),
            clock);
    slo =
        new SloMonitor(
            ObjectivesParser.parse("test", OBJECTIVES), graph.writer, clock, TestStore.IRIS);
    slo.start(new ProvSloRecords(graph.store, TestStore.IRIS));
    started.decisions.onRecorded(d -> slo.onRecorded(d, clock.instant()));
    started.decisions.onResolved(
        (d, r) -> slo.onSettled(d.model(), d.tenant(), java.util.Map::of, r));
    return started;
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  private Decision automated() {
    return app.decisions
        .submit(Fixtures.request(1000, 100000, 0.1, "approve", 0.9), "alice", Optional.empty())
        .recorded()
        .decision();
  }

  private Decision escalated() {
    return app.decisions
        .submit(Fixtures.request(1000, 100000, 0.1, "approve", 0.3), "alice", Optional.empty())
        .recorded()
        .decision();
  }

  private SloStatus status(String id) {
    return slo.status(id).orElseThrow();
  }

  @Test
  void anEscalationRateOutsideItsBandBeginsABreachAndBackInsideEndsIt() throws Exception {
    for (int i = 0; i < 4; i++) {
      automated();
    }
    assertEquals(List.of(), slo.evaluate());
    assertEquals(0.0, status("band").sli().getAsDouble());
    assertTrue(status("band").judged());
    assertTrue(status("band").burnRate().isEmpty(), "a band has no error budget");

    for (int i = 0; i < 6; i++) {
      escalated();
    }
    List<SloBreach> began = slo.evaluate();
    assertEquals(1, began.size());
    SloBreach.Began breach = assertInstanceOf(SloBreach.Began.class, began.get(0));
    assertEquals("band", breach.objective().id());
    assertEquals(new SloBreach.Measurement(6, 10, 0.6, Double.NaN), breach.measurement());
    assertEquals(Optional.of(breach.breachId()), status("band").breach());

    // A restart keeps the breach under way.
    graph.close();
    graph = new TestStore(dir);
    app = app();
    assertEquals(Optional.of(breach.breachId()), status("band").breach());
    assertFalse(status("band").judged(), "the counts start empty after a restart");
    assertEquals(List.of(), slo.evaluate(), "no evidence yet either way");

    for (int i = 0; i < 4; i++) {
      automated();
    }
    List<SloBreach> ended = slo.evaluate();
    assertEquals(1, ended.size());
    assertInstanceOf(SloBreach.Ended.class, ended.get(0));
    assertEquals(breach.breachId(), ended.get(0).breachId());
    assertTrue(status("band").breach().isEmpty());
    assertEquals(
        java.util.Map.of(), new ProvSloRecords(graph.store, TestStore.IRIS).openBreaches());
  }

  @Test
  void latencyBurnsTheErrorBudgetAndTheWindowForgetsOldEvents() {
    Decision decision = automated(); // recorded at once: good
    Instant at = clock.instant();
    for (int i = 0; i < 7; i++) {
      slo.onRecorded(decision, at);
    }
    slo.onRecorded(decision, at.plusMillis(100)); // exactly the limit: still good
    slo.onRecorded(decision, at.plusMillis(101));
    slo.onRecorded(decision, at.plusSeconds(2));
    slo.evaluate();
    SloStatus fast = status("fast");
    assertEquals(11, fast.total());
    assertEquals(9, fast.good());
    // SLI 9/11; burn (2/11) / 0.1
    assertEquals(9.0 / 11, fast.sli().getAsDouble(), 1e-12);
    assertEquals((2.0 / 11) / 0.1, fast.burnRate().getAsDouble(), 1e-9);
    assertEquals(1 - (2.0 / 11) / 0.1, fast.budgetRemaining().getAsDouble(), 1e-9);
    assertTrue(fast.breach().isPresent(), "burning faster than the target allows is a breach");

    clock.advance(Duration.ofMinutes(62));
    slo.evaluate();
    assertEquals(0, status("fast").total(), "an hour later the window is empty");
    assertTrue(status("fast").breach().isPresent(), "and the breach stands until evidence ends it");
  }

  private void settle(Resolution resolution) {
    slo.onSettled(
        new io.arbiter.registry.ModelVersionRef("demo-credit", "1"),
        Optional.empty(),
        java.util.Map::of,
        resolution);
  }

  @Test
  void scopedObjectives_countOnlyTheirModelsTenantsAndContextValues() {
    SloMonitor scoped =
        new SloMonitor(
            ObjectivesParser.parse(
                "scoped",
                """
                objectives:
                  - {id: credit, kind: escalation-rate, band: {min: 0, max: 1}, window: PT1H,
                     scope: {model: demo-credit}}
                  - {id: eu, kind: escalation-rate, band: {min: 0, max: 1}, window: PT1H,
                     scope: {model: demo-credit, context: {region: EU}}}
                  - {id: us, kind: escalation-rate, band: {min: 0, max: 1}, window: PT1H,
                     scope: {context: {region: US}}}
                  - {id: acme, kind: reviews-within-sla, target: 0.5, window: PT1H,
                     scope: {tenant: acme}}
                  - {id: other, kind: escalation-rate, band: {min: 0, max: 1}, window: PT1H,
                     scope: {model: another-model}}
                  - {id: credit-2, kind: escalation-rate, band: {min: 0, max: 1}, window: PT1H,
                     scope: {model: demo-credit, modelVersion: 2}}
                """),
            graph.writer,
            clock,
            TestStore.IRIS);
    Decision decision = escalated(); // demo-credit, context region EU, no tenant
    scoped.onRecorded(decision, clock.instant());
    scoped.onRecorded(automated(), clock.instant());
    var model = new io.arbiter.registry.ModelVersionRef("demo-credit", "1");
    Resolution onTime = new Resolution(Route.APPROVE, "consensus", clock.instant(), false);
    scoped.onSettled(model, Optional.of("acme"), java.util.Map::of, onTime);
    scoped.onSettled(
        model,
        Optional.of("other"),
        () -> {
          throw new AssertionError("no objective of a tenant's reviews reads the context");
        },
        onTime);
    scoped.evaluate();
    assertEquals(2, scoped.status("credit").orElseThrow().total());
    assertEquals(2, scoped.status("eu").orElseThrow().total());
    assertEquals(0, scoped.status("us").orElseThrow().total());
    assertEquals(1, scoped.status("acme").orElseThrow().total());
    assertEquals(0, scoped.status("other").orElseThrow().total());
    assertEquals(0, scoped.status("credit-2").orElseThrow().total(), "both were version 1's");

    java.util.function.BiFunction<
            Optional<String>, Optional<io.arbiter.decision.ContextMatch>, List<String>>
        selected =
            (named, value) ->
                scoped.objectives().stream()
                    .filter(
                        o -> o.scope().selectedBy(named, Optional.empty(), Optional.empty(), value))
                    .map(Objective::id)
                    .toList();
    assertEquals(
        List.of("credit", "eu", "credit-2"),
        selected.apply(Optional.of("demo-credit"), Optional.empty()));
    assertEquals(
        List.of("credit-2"),
        scoped.objectives().stream()
            .filter(
                o ->
                    o.scope()
                        .selectedBy(
                            Optional.of("demo-credit"),
                            Optional.of("2"),
                            Optional.empty(),
                            Optional.empty()))
            .map(Objective::id)
            .toList());
    assertEquals(
        List.of("eu"),
        selected.apply(
            Optional.of("demo-credit"),
            Optional.of(new io.arbiter.decision.ContextMatch("region", "EU"))));
    assertEquals(
        List.of("us"),
        selected.apply(
            Optional.empty(), Optional.of(new io.arbiter.decision.ContextMatch("region", "US"))));
    assertEquals(6, selected.apply(Optional.empty(), Optional.empty()).size());
  }

  @Test
  void scope_badParts_stopStartUpNamingEach() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ObjectivesParser.parse(
                    "bad",
                    """
                    objectives:
                      - {id: a, kind: escalation-rate, band: {min: 0, max: 1}, window: PT1H,
                         scope: {model: " x", tenant: acme, context: {site: north, floor: 3},
                                 team: t}}
                      - {id: b, kind: escalation-rate, band: {min: 0, max: 1}, window: PT1H,
                         scope: {context: {"no key": north}}}
                      - {id: c, kind: escalation-rate, band: {min: 0, max: 1}, window: PT1H,
                         scope: {modelVersion: "2"}}
                    """));
    String message = refused.getMessage();
    assertTrue(message.contains("objectives[0].scope.model: must match"), message);
    assertTrue(message.contains("objectives[0].scope.team: unknown field"), message);
    assertTrue(
        message.contains("objectives[0].scope.context: must be one key and a text"), message);
    assertTrue(message.contains("objectives[1].scope.context: its key must match"), message);
    assertTrue(message.contains("objectives[2].scope.modelVersion: is given with model"), message);
  }

  @Test
  void reviewsTimedOutCountAgainstTheSla() {
    settle(new Resolution(Route.APPROVE, "consensus", clock.instant(), false));
    settle(new Resolution(Route.REJECT, Resolution.TIMEOUT, clock.instant(), false));
    slo.evaluate();
    assertEquals(0.5, status("on-time").sli().getAsDouble());
    assertTrue(status("on-time").breach().isEmpty(), "0.5 meets a target of 0.5");
    settle(new Resolution(Route.REJECT, Resolution.TIMEOUT, clock.instant(), false));
    assertInstanceOf(SloBreach.Began.class, slo.evaluate().get(0));
  }

  @Test
  void theBundledObjectivesParse_andMistakesAreNamed() {
    List<Objective> demo =
        ObjectivesParser.parse("demo", Fixtures.resource("demo/slo/objectives.yaml"));
    assertEquals(
        List.of("automated-latency", "reviews-within-sla", "escalation-band"),
        demo.stream().map(Objective::id).toList());
    assertEquals(Optional.of(Duration.ofMillis(100)), demo.get(0).latency());

    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ObjectivesParser.parse(
                    "bad",
                    """
                    objectives:
                      - {id: a, kind: automated-latency, target: 1.5, window: PT1H}
                      - {id: a, kind: escalation-rate, target: 0.9, window: PT10S, band: {min: 0.5, max: 0.1}}
                      - {id: c, kind: latency}
                    """));
    String message = e.getMessage();
    assertTrue(message.contains("objectives[0].target: required, a share above 0 and below 1"));
    assertTrue(message.contains("objectives[0].latency: required"));
    assertTrue(message.contains("objectives[1].target: an escalation-rate objective has a band"));
    assertTrue(message.contains("objectives[1].band: required"));
    assertTrue(
        message.contains("objectives[1].window: required, an ISO-8601 duration of at least PT1M"));
    assertTrue(message.contains("objectives[2].kind: one of"));
  }

  @Test
  void eventCountsSlideBucketByBucket() {
    EventCounts counts = new EventCounts(Duration.ofMinutes(60)); // one-minute buckets
    Instant t = Instant.parse("2026-11-26T10:00:00Z");
    counts.record(t, true);
    counts.record(t.plusSeconds(30 * 60), false);
    assertEquals(new EventCounts.Counts(1, 2), counts.at(t.plusSeconds(59 * 60)));
    assertEquals(new EventCounts.Counts(0, 1), counts.at(t.plusSeconds(60 * 60)));
    assertEquals(new EventCounts.Counts(0, 0), counts.at(t.plusSeconds(90 * 60)));
    // Minute 61 reuses minute 0's slot, which starts from zero: the window holds minutes 2 to 61,
    // so the bad event of minute 30 and the new good one.
    counts.record(t.plusSeconds(61 * 60), true);
    assertEquals(new EventCounts.Counts(1, 2), counts.at(t.plusSeconds(61 * 60)));
  }
}
