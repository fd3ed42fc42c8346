package io.arbiter.problem;

import java.util.List;

/**
 * A request cannot be served for a reason the client can act on. The message is the problem's
 * {@code detail} and is shown to the client: it must never carry a library's exception text.
 */
public final class ProblemException extends RuntimeException {

  private final ProblemType type;
  private final List<FieldError> errors;

  public ProblemException(ProblemType type, String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.type = type;
    this.errors = List.copyOf(errors);
  }

  public ProblemException(ProblemType type, String detail) {
    this(type, detail, List.of());
  }

  public ProblemType type() {
    return type;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
