package io.arbiter.decision;

import java.util.List;
import java.util.Optional;

/** One page of results and, if more follow, the cursor to fetch them. */
public record Page<T>(List<T> items, Optional<PageCursor> next) {
  public Page {
    items = List.copyOf(items);
  }
}
