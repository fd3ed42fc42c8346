package io.arbiter.replay.api;

import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code offset} and {@code limit} query parameters of the policy analyses, checked together so
 * that one answer names every parameter at fault.
 */
record AnalysisPaging(long offset, int limit) {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  /** Parses both; absent ones take their defaults (0 and {@value #DEFAULT_LIMIT}). */
  static AnalysisPaging parse(String offset, String limit) {
    List<FieldError> errors = new ArrayList<>();
    long from = offset(offset, errors);
    int size = limit(limit, errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST, "Some query parameters are invalid.", errors);
    }
    return new AnalysisPaging(from, size);
  }

  private static long offset(String raw, List<FieldError> errors) {
    if (raw == null) {
      return 0;
    }
    try {
      long offset = Long.parseLong(raw);
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new FieldError("offset", "must be a non-negative integer"));
    return 0;
  }

  private static int limit(String raw, List<FieldError> errors) {
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new FieldError("limit", "must be an integer from 1 to " + MAX_LIMIT));
    return DEFAULT_LIMIT;
  }
}
