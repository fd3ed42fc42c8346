package io.arbiter.graph.api;

import io.arbiter.graph.store.GraphRuntime;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Read-your-writes for graph reads. A caller that has just recorded an event (its 201 names the
 * event's {@code sequence}) sends {@code Arbiter-Wait-For-Sequence: n}, and the request waits — up
 * to {@code arbiter.projection.max-wait} — until the graph holds event {@code n}; past that it gets
 * {@code 503 projection-behind} with {@code Retry-After}, rather than an answer that would silently
 * miss its own write. Every answer says what it reflects: {@code Arbiter-Graph-Sequence} is the
 * sequence number of the last event the graph held when the request began to read (absent while the
 * graph holds none).
 */
@Provider
@GraphSequenced
public class GraphSequenceFilter implements ContainerRequestFilter, ContainerResponseFilter {

  public static final String WAIT_FOR = "Arbiter-Wait-For-Sequence";
  public static final String GRAPH_SEQUENCE = "Arbiter-Graph-Sequence";

  @Inject GraphRuntime runtime;
  @Inject GraphSequence sequence;

  @Inject
  @ConfigProperty(name = "arbiter.projection.max-wait")
  Duration maxWait;

  @Override
  public void filter(ContainerRequestContext request) {
    String wanted = request.getHeaderString(WAIT_FOR);
    if (wanted != null) {
      long event = parse(wanted);
      if (!runtime.projector().await(event + 1, maxWait)) {
        throw new ProblemException(
            ProblemType.PROJECTION_BEHIND,
            "The graph holds events up to "
                + (runtime.projector().projected() - 1)
                + ", not yet "
                + event
                + "; ask again shortly.");
      }
    }
    sequence.projected();
  }

  private static long parse(String value) {
    try {
      long event = Long.parseLong(value.strip());
      if (event >= 0) {
        return event;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ProblemException(
        ProblemType.BAD_REQUEST,
        "The " + WAIT_FOR + " header must be an event's sequence number.",
        List.of(new FieldError(WAIT_FOR, "must be an integer >= 0")));
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (sequence.taken() && sequence.projected() > 0) {
      response.getHeaders().putSingle(GRAPH_SEQUENCE, sequence.projected() - 1);
    }
  }
}
