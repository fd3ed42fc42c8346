package io.arbiter.notify.api;

import io.arbiter.config.Periodic;
import io.arbiter.config.StartupOrder;
import io.arbiter.decision.DecisionService;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.Resolution;
import io.arbiter.event.IriScheme;
import io.arbiter.notify.SettlementMessage;
import io.arbiter.web.Permits;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The open event streams, and the settlements sent down them.
 *
 * <p>Each stream holds a thread-free connection and a permit ({@code arbiter.events.*}), so how
 * many a caller and everyone may hold is bounded. A client that goes away is noticed only when a
 * write to it fails, and a quiet stream writes nothing: so a comment goes down every stream each
 * {@code arbiter.events.heartbeat}, which also keeps proxies from closing an idle stream. A failed
 * write forgets the stream and returns its permit.
 */
@ApplicationScoped
public class SettlementStream {

  /** An open stream, which decisions its caller may hear of, and the permit it holds. */
  private record Subscriber(
      SseEventSink sink, Sse sse, Predicate<DecisionSummary> visible, Permits.Permit permit) {}

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  @Inject IriScheme iris;

  @Inject
  @ConfigProperty(name = "arbiter.events.max-concurrent-per-caller")
  int streamsPerCaller;

  @Inject
  @ConfigProperty(name = "arbiter.events.max-concurrent")
  int streams;

  @Inject
  @ConfigProperty(name = "arbiter.events.heartbeat")
  String heartbeat;

  @Resource ManagedScheduledExecutorService scheduler;

  private Permits permits;
  private ScheduledFuture<?> heartbeats;

  void start(
      @Observes @Priority(StartupOrder.NOTIFY) @Initialized(ApplicationScoped.class) Object event,
      DecisionService decisions) {
    permits = new Permits("event streams", "arbiter.events", streamsPerCaller, streams);
    heartbeats =
        Periodic.every(
            scheduler, Duration.parse(heartbeat), "event-stream heartbeat", this::heartbeat);
    decisions.onResolved(this::publish);
  }

  /** Ends every open stream, so clients reconnect elsewhere and the server can stop at once. */
  @PreDestroy
  void closeAll() {
    if (heartbeats != null) {
      heartbeats.cancel(false);
    }
    subscribers.forEach(this::forget);
  }

  /**
   * A permit for one more stream of the caller's, taken before the stream opens so that a refusal
   * is an ordinary problem response.
   *
   * @throws io.arbiter.problem.ProblemException {@code too-many-requests} or {@code server-busy}
   */
  Permits.Permit admit(String caller) {
    return permits.acquire(caller);
  }

  /**
   * Opens the stream at once with a comment line, which sends the response's headers: without it
   * they wait for the first settlement, and a client cannot tell an open stream from a hung one (an
   * EventSource's open event, a proxy's read timeout).
   */
  void subscribe(
      SseEventSink sink, Sse sse, Predicate<DecisionSummary> visible, Permits.Permit permit) {
    Subscriber subscriber = new Subscriber(sink, sse, visible, permit);
    subscribers.add(subscriber);
    sink.send(sse.newEventBuilder().comment("settlements follow").build())
        .whenComplete(forgetOnFailure(subscriber));
  }

  /** Sends a settlement to every open stream whose caller may see the decision. */
  void publish(DecisionSummary decision, Resolution resolution) {
    String json = SettlementMessage.json(decision, resolution, iris);
    for (Subscriber subscriber : subscribers) {
      if (subscriber.sink().isClosed()) {
        forget(subscriber);
        continue;
      }
      if (!subscriber.visible().test(decision)) {
        continue;
      }
      try {
        send(subscriber, decision, json);
      } catch (RuntimeException e) {
        // Closed between the check and the send: forget it.
        forget(subscriber);
      }
    }
  }

  /** A comment down every stream: the write that finds the clients gone. */
  private void heartbeat() {
    for (Subscriber subscriber : subscribers) {
      if (subscriber.sink().isClosed()) {
        forget(subscriber);
        continue;
      }
      try {
        subscriber
            .sink()
            .send(subscriber.sse().newEventBuilder().comment("").build())
            .whenComplete(forgetOnFailure(subscriber));
      } catch (RuntimeException e) {
        forget(subscriber);
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
        forget(subscriber);
      }
    };
  }

  private void forget(Subscriber subscriber) {
    subscribers.remove(subscriber);
    subscriber.permit().close();
    try {
      subscriber.sink().close();
    } catch (RuntimeException e) {
      // Already gone: nothing to close.
    }
  }
}
