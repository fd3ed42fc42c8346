package io.arbiter.graph.prov;

/**
 * Which bundles (named graphs) a reader may see, judged by what each bundle says of itself: its
 * event type ({@code arb:eventType}) and the resource the event is about ({@code
 * arb:eventSubject}). A graph that is no event's bundle (the ledger graph) is never visible under a
 * filter: nothing says whose it is.
 */
@FunctionalInterface
public interface BundleFilter {

  boolean visible(String eventType, String subjectIri);
}
