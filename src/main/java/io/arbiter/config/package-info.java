/**
 * Cross-cutting configuration: the clock, the IRI scheme and seed files read at start-up; and
 * {@link io.arbiter.config.DurableFiles}, the one way state files under the data directory are
 * replaced (every capability that keeps such a file depends on this package already).
 *
 * <p>CDI producers here and in each capability's {@code *Wiring} class build the plain-Java
 * services from MicroProfile Config ({@code arbiter.*}, environment {@code ARBITER_*}); services
 * themselves carry no container annotations, so unit tests construct them directly.
 */
package io.arbiter.config;
