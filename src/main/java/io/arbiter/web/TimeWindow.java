package io.arbiter.web;

import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A half-open window {@code [from, to)} from the {@code from} and {@code to} query parameters. */
public record TimeWindow(Instant from, Instant to) {

  /**
   * Reads the parameters: {@code to} defaults to now, {@code from} to {@code defaultLength} before
   * {@code to}.
   *
   * @throws ProblemException {@code bad-request} naming each parameter at fault
   */
  public static TimeWindow parse(String from, String to, Instant now, Duration defaultLength) {
    List<FieldError> errors = new ArrayList<>();
    Instant end = instant("to", to, errors).orElse(now);
    Instant start = instant("from", from, errors).orElse(end.minus(defaultLength));
    if (errors.isEmpty() && !start.isBefore(end)) {
      errors.add(new FieldError("from", "must be before to"));
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(ProblemType.BAD_REQUEST, "The window is not valid.", errors);
    }
    return new TimeWindow(start, end);
  }

  private static Optional<Instant> instant(String name, String value, List<FieldError> errors) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value));
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(name, "must be an ISO-8601 instant"));
      return Optional.empty();
    }
  }
}
