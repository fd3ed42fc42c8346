package io.arbiter.review;

import java.util.function.Consumer;

/** What the graph holds about reviews. */
public interface ReviewRecords {

  /** Every task ever assigned, in the order their decisions were recorded. */
  void forEachAssignment(Consumer<ReviewAssignment> sink);

  /** Every review event, in the order it was recorded. */
  void forEachEvent(Consumer<ReviewEvent> sink);
}
