/** The registry over HTTP: {@code /api/v1/registry/**}. */
package io.arbiter.registry.api;
