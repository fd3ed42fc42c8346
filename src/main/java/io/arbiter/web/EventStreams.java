package io.arbiter.web;

import io.arbiter.config.Periodic;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every open server-sent event stream (settlements for integrators, task changes for reviewers),
 * and what goes down them: one place that bounds them and finds the ones whose clients left.
 *
 * <p>Each stream holds a connection, not a thread, and a permit ({@code arbiter.events.*}): one
 * caller's streams of every kind together, and everyone's, are bounded. A client that goes away is
 * noticed only when a write to it fails, and a quiet stream writes nothing; so a comment goes down
 * every stream each {@code arbiter.events.heartbeat}, which also keeps proxies from closing an idle
 * stream. A failed write closes the stream and returns its permit.
 */
@ApplicationScoped
public class EventStreams {

  private static final Logger LOG = Logger.getLogger(EventStreams.class.getName());

  /** An event to send: its SSE name and id, and its JSON data. */
  public record Event(String name, String id, String json) {}

  /** An open stream, which items its caller hears of, and the permit it holds. */
  private record Subscriber(
      SseEventSink sink, Sse sse, Predicate<Object> hears, Permits.Permit permit) {}

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  @Inject
  @ConfigProperty(name = "arbiter.events.heartbeat")
  String heartbeat;

  @Resource ManagedScheduledExecutorService scheduler;

  private Permits permits;
  private ScheduledFuture<?> heartbeats;

  /**
   * Takes a permit for the caller's stream, then opens it at once with a comment line, which sends
   * the response's headers: without it they wait for the first event, and a client cannot tell an
   * open stream from a hung one (an EventSource's open event, a proxy's read timeout). Call it
   * before anything is written, so that a refusal is an ordinary problem response.
   *
   * @param hears which published items this caller may hear of
   * @throws io.arbiter.problem.ProblemException {@code too-many-requests} or {@code server-busy}
   */
  public void open(
      String caller, SseEventSink sink, Sse sse, String opening, Predicate<Object> hears) {
    Subscriber subscriber = new Subscriber(sink, sse, hears, permits().acquire(caller));
    subscribers.add(subscriber);
    write(subscriber, sse.newEventBuilder().comment(opening).build());
  }

  /**
   * Sends the event about {@code item} down every open stream whose caller hears of it, in the
   * order published, from the managed executor: never on the publisher's thread, which is usually a
   * request's. A write through RESTEasy's SSE sink on a request thread can leave that request
   * without its JAX-RS context (seen as a 500, RESTEASY003880 "Unable to find contextual data of
   * type UriInfo", on a decision submitted while a reviewer's stream listened).
   */
  public void publish(Object item, Event event) {
    if (subscribers.isEmpty()) {
      return;
    }
    outbox.add(() -> deliver(item, event));
    if (draining.compareAndSet(false, true)) {
      try {
        scheduler.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // Stopping: the streams are being closed anyway.
        draining.set(false);
      }
    }
  }

  private final Queue<Runnable> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  /** Delivers the outbox one event at a time, so events keep their order on every stream. */
  private void drain() {
    do {
      for (Runnable next = outbox.poll(); next != null; next = outbox.poll()) {
        try {
          next.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "an event could not be delivered", e);
        }
      }
      draining.set(false);
    } while (!outbox.isEmpty() && draining.compareAndSet(false, true));
  }

  private void deliver(Object item, Event event) {
    for (Subscriber subscriber : subscribers) {
      if (subscriber.sink().isClosed()) {
        forget(subscriber);
      } else if (hears(subscriber, item)) {
        write(
            subscriber,
            subscriber
                .sse()
                .newEventBuilder()
                .name(event.name())
                .id(event.id())
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(String.class, event.json())
                .build());
      }
    }
  }

  /** Whether a subscriber hears of {@code item}; one whose check fails misses it, not the rest. */
  private static boolean hears(Subscriber subscriber, Object item) {
    try {
      return subscriber.hears().test(item);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a stream's check of an event failed; the event is not sent to it", e);
      return false;
    }
  }

  /** Ends every open stream, so clients reconnect elsewhere and the server can stop at once. */
  @PreDestroy
  void closeAll() {
    if (heartbeats != null) {
      heartbeats.cancel(false);
    }
    subscribers.forEach(this::forget);
  }

  /** The permits, and the heartbeat, from the first stream on. */
  private synchronized Permits permits() {
    if (permits == null) {
      permits = Permits.configured("event streams", "arbiter.events");
      heartbeats =
          Periodic.every(
              scheduler, Duration.parse(heartbeat), "event-stream heartbeat", this::heartbeat);
    }
    return permits;
  }

  /** A comment down every stream: the write that finds the clients gone. */
  private void heartbeat() {
    for (Subscriber subscriber : subscribers) {
      if (subscriber.sink().isClosed()) {
        forget(subscriber);
      } else {
        write(subscriber, subscriber.sse().newEventBuilder().comment("").build());
      }
    }
  }

  private void write(Subscriber subscriber, jakarta.ws.rs.sse.OutboundSseEvent event) {
    try {
      subscriber.sink().send(event).whenComplete(forgetOnFailure(subscriber));
    } catch (RuntimeException e) {
      // Closed between the check and the send: forget it.
      forget(subscriber);
    }
  }

  /** A send that failed means the client went away. */
  private BiConsumer<Object, Throwable> forgetOnFailure(Subscriber subscriber) {
    return (done, failure) -> {
      if (failure != null) {
        forget(subscriber);
      }
    };
  }

  private void forget(Subscriber subscriber) {
    if (!subscribers.remove(subscriber)) {
      return;
    }
    subscriber.permit().close();
    try {
      subscriber.sink().close();
    } catch (RuntimeException e) {
      // Already gone: nothing to close.
    }
  }
}
