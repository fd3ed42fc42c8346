package io.arbiter.review;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** What the graph holds about reviews. */
public interface ReviewRecords {

  /** Every task ever assigned, in the order their decisions were recorded. */
  void forEachAssignment(Consumer<ReviewAssignment> sink);

  /** Every review event, in the order it was recorded. */
  void forEachEvent(Consumer<ReviewEvent> sink);

  /**
   * Settled escalations of the same model and rule as {@code task}, newest first: what reviewers
   * decided on cases like this one.
   */
  List<SimilarCase> similar(ReviewTask task, int limit);

  /**
   * A past case and how it ended.
   *
   * @param modelLabel the model's recommendation then
   * @param confidence the model's confidence then
   * @param groundTruth what it should have been, where that was recorded later
   */
  record SimilarCase(
      String decisionId,
      String modelLabel,
      double confidence,
      Outcome outcome,
      Settlement.Basis basis,
      boolean overridden,
      Optional<String> reasonCode,
      Optional<Outcome> groundTruth) {}
}
