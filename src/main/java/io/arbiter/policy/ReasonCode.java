package io.arbiter.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * A reason code a reviewer may give for a verdict, with the words a policy may give it. The code is
 * what a verdict records and a query joins on; the label is what a person reads when choosing it,
 * and the definition says when it applies.
 *
 * <p>Invariants: the code matches {@link PolicyParser#ID}; a label, when present, is 1 to {@link
 * #MAX_LABEL} characters and not blank; a definition, when present, is 1 to {@link #MAX_DEFINITION}
 * characters and not blank.
 *
 * @param code the code itself, as verdicts carry it
 * @param label what to show for it; absent for a plain code, which shows as itself
 * @param definition when it applies, for help text; absent when the policy gives none
 */
public record ReasonCode(String code, Optional<String> label, Optional<String> definition) {

  /** Longest label, in characters: it has to fit a choice in a form. */
  public static final int MAX_LABEL = 120;

  /** Longest definition, in characters: a paragraph of help text, not a manual. */
  public static final int MAX_DEFINITION = 1000;

  public ReasonCode {
    Objects.requireNonNull(code, "code");
    if (!PolicyParser.ID.matcher(code).matches()) {
      throw new IllegalArgumentException("a reason code matches " + PolicyParser.ID);
    }
    check(label, MAX_LABEL, "label");
    check(definition, MAX_DEFINITION, "definition");
  }

  /** A code declared without words, as every code was before labels. */
  public static ReasonCode plain(String code) {
    return new ReasonCode(code, Optional.empty(), Optional.empty());
  }

  /** What a person reads for it: the label, or the code when it has none. */
  public String shownLabel() {
    return label.orElse(code);
  }

  /** Length in characters as a person counts them (code points), not UTF-16 units. */
  static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  private static void check(Optional<String> text, int max, String name) {
    if (text.isPresent() && (text.get().isBlank() || length(text.get()) > max)) {
      throw new IllegalArgumentException(name + " must be 1 to " + max + " characters, not blank");
    }
  }
}
