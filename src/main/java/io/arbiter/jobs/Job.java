package io.arbiter.jobs;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A job as it stood when it was read.
 *
 * @param kind the report it runs ({@code backtest}, {@code coverage}, …)
 * @param owner who started it: only they (and an admin) may read or cancel it
 * @param done units of work done so far
 * @param total units the whole report takes, when the report knows it
 * @param result the report, once the job succeeded: what the synchronous request answers
 * @param failure why it failed, once it did
 */
public record Job(
    String id,
    String kind,
    String owner,
    JobState state,
    long done,
    OptionalLong total,
    Instant created,
    Optional<Instant> started,
    Optional<Instant> finished,
    Optional<Object> result,
    Optional<RuntimeException> failure) {}
