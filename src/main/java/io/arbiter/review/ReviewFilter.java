package io.arbiter.review;

import java.util.Optional;

/**
 * What a queue listing selects.
 *
 * @param overdue only tasks past (true) or within (false) their deadline
 * @param mine only tasks the caller holds a live claim on
 * @param after the cursor of the previous page
 */
public record ReviewFilter(
    Optional<String> queue,
    Optional<TaskState> state,
    Optional<Boolean> overdue,
    boolean mine,
    Optional<ReviewCursor> after,
    int limit) {

  public static final int MAX_LIMIT = 500;

  public ReviewFilter {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT);
    }
  }
}
