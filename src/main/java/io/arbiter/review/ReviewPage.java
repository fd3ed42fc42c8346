package io.arbiter.review;

import java.util.List;
import java.util.Optional;

/** One page of a queue listing and, if more follow, the cursor to fetch them. */
public record ReviewPage(List<ReviewTask> items, Optional<ReviewCursor> next) {
  public ReviewPage {
    items = List.copyOf(items);
  }
}
