/**
 * Telling integrators when a decision that waited for humans is settled: signed callbacks to a
 * registered URL, with retries and a dead-letter list. (The event stream and {@code Prefer: wait}
 * are in the APIs; they need no state of their own.)
 */
package io.arbiter.notify;
