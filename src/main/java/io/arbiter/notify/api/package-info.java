/**
 * The notification API: callback registration and dead letters, and the settlement event stream.
 */
package io.arbiter.notify.api;
