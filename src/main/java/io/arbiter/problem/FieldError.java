package io.arbiter.problem;

/**
 * One field at fault.
 *
 * @param field a JSON-pointer-like path into the request, e.g. {@code output.confidence}, or a
 *     parameter or header name
 */
public record FieldError(String field, String message) {}
