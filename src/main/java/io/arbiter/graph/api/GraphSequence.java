package io.arbiter.graph.api;

import io.arbiter.graph.store.GraphRuntime;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * Which state of the graph one request reads: the projection's watermark, taken once, after any
 * wait the caller asked for and before the request's first read. The answer holds at least every
 * event before it (the store only grows), and the response says so.
 */
@RequestScoped
public class GraphSequence {

  @Inject GraphRuntime runtime;

  private long projected = -1;

  /** How many journal records the graph held when this request began to read it. */
  public long projected() {
    if (projected < 0) {
      projected = runtime.projector().projected();
    }
    return projected;
  }

  boolean taken() {
    return projected >= 0;
  }
}
