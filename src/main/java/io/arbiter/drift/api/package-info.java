/** HTTP for drift: reference profiles of model versions, and their drift now. */
package io.arbiter.drift.api;
