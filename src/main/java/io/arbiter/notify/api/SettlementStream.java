package io.arbiter.notify.api;

import io.arbiter.config.StartupOrder;
import io.arbiter.decision.DecisionService;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.Resolution;
import io.arbiter.event.IriScheme;
import io.arbiter.notify.SettlementMessage;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** The open event streams, and the settlements sent down them. */
@ApplicationScoped
public class SettlementStream {

  /** An open stream and which decisions its caller may hear of. */
  private record Subscriber(SseEventSink sink, Sse sse, Predicate<DecisionSummary> visible) {}

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  @Inject IriScheme iris;

  void start(
      @Observes @Priority(StartupOrder.NOTIFY) @Initialized(ApplicationScoped.class) Object event,
      DecisionService decisions) {
    decisions.onResolved(this::publish);
  }

  /** Ends every open stream, so clients reconnect elsewhere and the server can stop at once. */
  @PreDestroy
  void closeAll() {
    subscribers.forEach(subscriber -> subscriber.sink().close());
    subscribers.clear();
  }

  /**
   * Opens the stream at once with a comment line, which sends the response's headers: without it
   * they wait for the first settlement, and a client cannot tell an open stream from a hung one (an
   * EventSource's open event, a proxy's read timeout).
   */
  void subscribe(SseEventSink sink, Sse sse, Predicate<DecisionSummary> visible) {
    Subscriber subscriber = new Subscriber(sink, sse, visible);
    subscribers.add(subscriber);
    sink.send(sse.newEventBuilder().comment("settlements follow").build())
        .whenComplete(forgetOnFailure(subscriber));
  }

  /** Sends a settlement to every open stream whose caller may see the decision. */
  void publish(DecisionSummary decision, Resolution resolution) {
    String json = SettlementMessage.json(decision, resolution, iris);
    for (Subscriber subscriber : subscribers) {
      if (subscriber.sink().isClosed()) {
        subscribers.remove(subscriber);
        continue;
      }
      if (!subscriber.visible().test(decision)) {
        continue;
      }
      try {
        send(subscriber, decision, json);
      } catch (RuntimeException e) {
        // Closed between the check and the send: forget it.
        subscribers.remove(subscriber);
      }
    }
  }

  private void send(Subscriber subscriber, DecisionSummary decision, String json) {
    subscriber
        .sink()
        .send(
            subscriber
                .sse()
                .newEventBuilder()
                .name(SettlementMessage.TYPE)
                .id(decision.id().value())
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(String.class, json)
                .build())
        .whenComplete(forgetOnFailure(subscriber));
  }

  /** A send that failed means the client went away: forget its stream. */
  private java.util.function.BiConsumer<Object, Throwable> forgetOnFailure(Subscriber subscriber) {
    return (done, failure) -> {
      if (failure != null) {
        subscribers.remove(subscriber);
        subscriber.sink().close();
      }
    };
  }
}
