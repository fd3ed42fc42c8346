/**
 * Cross-cutting HTTP: the JAX-RS application and its OpenAPI definition, RFC 9457 problem responses
 * for every error (exception mappers and the container's error pages), and JSON-B settings. Depends
 * on every capability's API; no capability depends on it.
 */
package io.arbiter.web;
