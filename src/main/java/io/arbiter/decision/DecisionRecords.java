package io.arbiter.decision;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Reads decisions back from the graph. */
public interface DecisionRecords {

  /** The decision as recorded, with its facts, routing and trace. */
  Optional<RecordedDecision> load(DecisionId id);

  /** {@link #load(DecisionId)} when the summary is at hand, which spares a lookup. */
  default Optional<RecordedDecision> load(DecisionSummary summary) {
    return load(summary.id());
  }

  /**
   * The pinned facts of these summaries' decisions, in their order, read from one state of the
   * store: how a long history is walked without a lookup per decision.
   */
  default void loadPinned(List<DecisionSummary> summaries, Consumer<PinnedFacts> sink) {
    summaries.forEach(
        summary ->
            load(summary)
                .ifPresent(
                    found -> sink.accept(new PinnedFacts(summary, found.decision().facts()))));
  }

  /**
   * The contexts of these summaries' decisions, as {@link #loadPinned} would give them within their
   * facts: what a context match reads, and a store may read no more than that.
   */
  default void loadContexts(
      List<DecisionSummary> summaries,
      java.util.function.BiConsumer<DecisionSummary, java.util.Map<String, Object>> sink) {
    loadPinned(summaries, pinned -> sink.accept(pinned.summary(), pinned.facts().context()));
  }

  /** Every recorded decision's summary, in sequence order (used to rebuild the index). */
  void forEachSummary(Consumer<DecisionSummary> sink);

  /** Every recorded ground truth, with its decision (used to rebuild the index). */
  void forEachTruth(java.util.function.BiConsumer<DecisionId, GroundTruth> sink);

  /** The latest tally of each submission hour the graph holds a tally of. */
  java.util.Map<SubmissionHour, SubmissionHour.TallyState> talliedHours();

  /** The submission hours the graph describes. */
  java.util.Set<SubmissionHour> describedHours();

  /**
   * Each decision the graph links to no submission hour (recorded before hours were indexed), with
   * its IRI and submission time.
   */
  void forEachUnlinked(java.util.function.BiConsumer<String, java.time.Instant> sink);
}
