/**
 * The event log as the core sees it: every change in Arbiter is a {@link
 * io.arbiter.event.DomainEvent} appended to the {@link io.arbiter.event.EventLog} and written once,
 * never edited.
 *
 * <p>Plain Java only. Capabilities ({@code decision}, {@code policy}, {@code registry}, ...) depend
 * on this package to record what happened; the {@code graph} package implements the log as PROV-O
 * bundles. Keeping the port here, not in {@code graph}, lets the capabilities stay free of Jena and
 * keeps the package graph acyclic.
 */
package io.arbiter.event;
