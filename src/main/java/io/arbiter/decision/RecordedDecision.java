package io.arbiter.decision;

/** A decision read back from the graph, with where it was recorded. */
public record RecordedDecision(Decision decision, long sequence, String bundleIri) {}
