package io.arbiter.notify.api;

import io.arbiter.config.StartupOrder;
import io.arbiter.decision.DecisionService;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.Resolution;
import io.arbiter.event.IriScheme;
import io.arbiter.notify.SettlementMessage;
import io.arbiter.web.EventStreams;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/** The settlements sent down the event streams of {@code /api/v1/events}. */
@ApplicationScoped
public class SettlementStream {

  @Inject IriScheme iris;
  @Inject EventStreams streams;

  void start(
      @Observes @Priority(StartupOrder.NOTIFY) @Initialized(ApplicationScoped.class) Object event,
      DecisionService decisions) {
    decisions.onResolved(this::publish);
  }

  /**
   * Opens a stream that hears of every settlement ({@code readsAll}) or of the caller's own
   * decisions'.
   */
  void subscribe(String caller, boolean readsAll, SseEventSink sink, Sse sse) {
    subscribe(caller, readsAll, io.arbiter.decision.TenantScope.GLOBAL, sink, sse);
  }

  /** As above, and of {@code tenants}' decisions only (a caller bound to tenants). */
  void subscribe(
      String caller,
      boolean readsAll,
      io.arbiter.decision.TenantScope tenants,
      SseEventSink sink,
      Sse sse) {
    streams.open(
        caller,
        sink,
        sse,
        "settlements follow",
        item ->
            item instanceof DecisionSummary decision
                && (readsAll || decision.submittedBy().equals(caller))
                && tenants.sees(decision));
  }

  private void publish(DecisionSummary decision, Resolution resolution) {
    streams.publish(
        decision,
        new EventStreams.Event(
            SettlementMessage.TYPE,
            decision.id().value(),
            SettlementMessage.json(decision, resolution, iris)));
  }
}
