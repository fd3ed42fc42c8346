package io.arbiter.journal;

/**
 * A record before it has a sequence number: everything but the entry's {@code seq} is fixed, so the
 * costly parts (mapping, canonical N-Quads, digests) are done by the caller, in parallel, and the
 * sequencer only splices the number in.
 */
public interface Draft {

  /** The bundle's canonical N-Quads; the same bytes whatever sequence the record gets. */
  byte[] bundle();

  /** The entry's canonical bytes once the record is numbered {@code sequence}. Must be quick. */
  byte[] entry(long sequence);

  /** The bundle's IRI (named graph), for readers that look records up before they are projected. */
  String bundleIri();

  /** The IRI of the resource the event is about. */
  String subjectIri();
}
