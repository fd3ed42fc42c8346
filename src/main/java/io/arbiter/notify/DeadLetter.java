package io.arbiter.notify;

import java.net.URI;
import java.time.Instant;

/**
 * A callback that could not be delivered after every attempt.
 *
 * @param messageId the delivery's {@code webhook-id}, which a redelivery sends again so that
 *     receivers can tell it from a new message
 * @param payload the JSON body that was to be delivered
 * @param lastError what the last attempt met (status or error)
 */
public record DeadLetter(
    String id,
    String integrator,
    URI url,
    String messageId,
    String decision,
    String payload,
    int attempts,
    String lastError,
    Instant failedAt) {}
