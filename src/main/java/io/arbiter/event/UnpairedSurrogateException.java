package io.arbiter.event;

/**
 * Thrown by {@link CanonicalJson} when a string or member name holds a UTF-16 surrogate without its
 * partner, which RFC 8785 (section 3.2.2.2) and I-JSON (RFC 7493 section 2.1) refuse. Says where,
 * as a path into the value in the form of {@code io.arbiter.problem.FieldError} ({@code
 * context.notes[2]}), so an API can name the field; its texts carry no part of the offending
 * string.
 */
public final class UnpairedSurrogateException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final char surrogate;
  private final int index;
  private final boolean memberName;
  private final String field;

  UnpairedSurrogateException(char surrogate, int index, boolean memberName) {
    this(surrogate, index, memberName, "");
  }

  private UnpairedSurrogateException(char surrogate, int index, boolean memberName, String field) {
    super(describe(surrogate, index, memberName, field));
    this.surrogate = surrogate;
    this.index = index;
    this.memberName = memberName;
    this.field = field;
  }

  /**
   * The path to the string at fault, {@code ""} for a top-level string; for a member name, the path
   * to the object holding that member (the name itself is not fit to print).
   */
  public String field() {
    return field;
  }

  /** The char index of the surrogate within its string. */
  public int index() {
    return index;
  }

  /** What is wrong at {@link #field}, as a field error's message. */
  public String problem() {
    return String.format(
        "%s an unpaired UTF-16 surrogate (\\u%04x) at index %d: JSON text must be valid Unicode"
            + " (I-JSON, RFC 7493)",
        memberName ? "has a member name that holds" : "holds", (int) surrogate, index);
  }

  UnpairedSurrogateException within(String key) {
    return under(key);
  }

  UnpairedSurrogateException within(int item) {
    return under("[" + item + "]");
  }

  private UnpairedSurrogateException under(String head) {
    String path = field.isEmpty() || field.startsWith("[") ? head + field : head + "." + field;
    return new UnpairedSurrogateException(surrogate, index, memberName, path);
  }

  private static String describe(char surrogate, int index, boolean memberName, String field) {
    return String.format(
        "unpaired UTF-16 surrogate \\u%04x at index %d of %s%s (RFC 8785 section 3.2.2.2)",
        (int) surrogate,
        index,
        memberName ? "a member name" : "a string",
        field.isEmpty() ? "" : (memberName ? " in " : " at ") + field);
  }
}
