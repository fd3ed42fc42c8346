/**
 * Cross-cutting configuration: the clock, the IRI scheme and seed files read at start-up.
 *
 * <p>CDI producers here and in each capability's {@code *Wiring} class build the plain-Java
 * services from MicroProfile Config ({@code arbiter.*}, environment {@code ARBITER_*}); services
 * themselves carry no container annotations, so unit tests construct them directly.
 */
package io.arbiter.config;
