/** The monitoring API: HITL quality figures. */
package io.arbiter.monitor.api;
