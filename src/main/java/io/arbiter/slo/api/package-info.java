/** HTTP for service-level objectives: their state now. */
package io.arbiter.slo.api;
