package io.arbiter.notify;

import java.net.URI;
import java.time.Instant;

/**
 * A callback that could not be delivered after every attempt.
 *
 * @param payload the JSON body that was to be delivered
 * @param lastError what the last attempt met (status or error)
 */
public record DeadLetter(
    String id,
    String integrator,
    URI url,
    String decision,
    String payload,
    int attempts,
    String lastError,
    Instant failedAt) {}
