package io.arbiter.review;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;

/**
 * A position in the work order of tasks (priority, then deadline, then id): opaque to clients,
 * keyset paging so a page is not shifted by tasks that settle meanwhile.
 */
public record ReviewCursor(int priority, Instant deadline, String taskId) {

  /** The work order: most urgent first. */
  public static final Comparator<ReviewTask> ORDER =
      Comparator.comparingInt((ReviewTask t) -> -t.assignment().priority())
          .thenComparing(t -> t.assignment().deadline())
          .thenComparing(ReviewTask::id);

  public static ReviewCursor after(ReviewTask task) {
    return new ReviewCursor(task.assignment().priority(), task.assignment().deadline(), task.id());
  }

  /** Whether {@code task} comes after this position in {@link #ORDER}. */
  public boolean precedes(ReviewTask task) {
    var a = task.assignment();
    if (a.priority() != priority) {
      return a.priority() < priority;
    }
    if (!a.deadline().equals(deadline)) {
      return a.deadline().isAfter(deadline);
    }
    return task.id().compareTo(taskId) > 0;
  }

  public String encode() {
    String raw = priority + "|" + deadline + "|" + taskId;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a client-supplied cursor; empty when it is not one of ours. */
  public static Optional<ReviewCursor> decode(String text) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", 3);
      if (parts.length != 3) {
        return Optional.empty();
      }
      return Optional.of(
          new ReviewCursor(Integer.parseInt(parts[0]), Instant.parse(parts[1]), parts[2]));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
