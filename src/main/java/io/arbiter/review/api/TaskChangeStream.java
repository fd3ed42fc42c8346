package io.arbiter.review.api;

import io.arbiter.config.StartupOrder;
import io.arbiter.decision.TenantScope;
import io.arbiter.review.Caller;
import io.arbiter.review.ReviewService;
import io.arbiter.review.ReviewTask;
import io.arbiter.web.EventStreams;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * The task changes sent down the reviewers' event streams ({@code /api/v1/reviews/events}): which
 * task changed, its queue, kind and state, and nothing of the decision, so that a blind reviewer's
 * stream tells no more than the queue does. A page hearing one asks the API again for what it
 * shows.
 */
@ApplicationScoped
public class TaskChangeStream {

  /** The SSE event name. */
  public static final String TYPE = "review.task-changed";

  @Inject EventStreams streams;
  @Inject ReviewService reviews;

  void start(
      @Observes @Priority(StartupOrder.NOTIFY) @Initialized(ApplicationScoped.class) Object event) {
    reviews.onChanged(this::publish);
  }

  /**
   * Opens a stream that hears of the tasks the caller may see. The caller's tenant scope is taken
   * now, on the request: events are checked later on the stream's own thread, where the credentials
   * the request signed in with (a token's tenant claim) are not to be had.
   */
  void subscribe(Caller caller, SseEventSink sink, Sse sse) {
    TenantScope scope = reviews.scopeOf(caller);
    streams.open(
        caller.name(),
        sink,
        sse,
        "task changes follow",
        item -> item instanceof ReviewTask task && reviews.isVisibleTo(task, caller, scope));
  }

  private void publish(ReviewTask task) {
    String json =
        Json.createObjectBuilder()
            .add("id", task.id())
            .add("queue", task.queue())
            .add("kind", task.assignment().kind().wireName())
            .add("state", task.state().wireName())
            .build()
            .toString();
    streams.publish(task, new EventStreams.Event(TYPE, task.id(), json));
  }
}
