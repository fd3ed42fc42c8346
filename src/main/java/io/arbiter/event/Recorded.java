package io.arbiter.event;

/**
 * Proof of recording: where an event landed.
 *
 * @param sequence gap-free position in the log, starting at 0
 * @param bundleIri IRI of the named graph ({@code prov:Bundle}) holding the event
 */
public record Recorded(long sequence, String bundleIri) {}
