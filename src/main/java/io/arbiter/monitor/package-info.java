/** How the human-in-the-loop system is doing: HITL quality figures over a window of decisions. */
package io.arbiter.monitor;
