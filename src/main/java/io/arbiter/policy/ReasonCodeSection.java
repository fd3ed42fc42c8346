package io.arbiter.policy;

import io.arbiter.policy.PolicyDocumentException.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@code reasonCodes} list, adding a problem with its path for everything wrong, as {@link
 * PolicyParser} does for the rest of the document. The policy's own list may give a code words;
 * each entry is a plain code (as every policy before labels wrote it) or a mapping:
 *
 * <pre>
 * reasonCodes:
 *   - other                                  # a plain code: shown as itself
 *   - code: needs-biopsy                     # required
 *     label: Needs a biopsy                  # required in this form: one line, 1 to 120 characters
 *     definition: The images alone cannot settle it.   # optional: 1 to 1000 characters
 * </pre>
 *
 * A review's {@code reasonCodes} only narrows the policy's list, so it lists codes and nothing
 * else: the words of a code are the policy's, the same wherever the code is offered.
 */
final class ReasonCodeSection {
  private static final Set<String> KEYS = Set.of("code", "label", "definition");

  private ReasonCodeSection() {}

  /** The policy's list, plain codes and labelled ones; empty when left out. */
  static List<ReasonCode> policyCodes(Object value, List<Problem> problems) {
    return read(value, "reasonCodes", true, problems);
  }

  /** A review's list, plain codes only; empty when left out. */
  static List<String> reviewCodes(Object value, String path, List<Problem> problems) {
    return read(value, path, false, problems).stream().map(ReasonCode::code).toList();
  }

  private static List<ReasonCode> read(
      Object value, String path, boolean labelled, List<Problem> problems) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      problems.add(new Problem(path, "must be a list of reason codes"));
      return List.of();
    }
    List<ReasonCode> codes = new ArrayList<>();
    // Shown labels, folded for case: two choices that read alike cannot be told apart in a form.
    // Two plain codes are never compared: codes differing in case alone were valid before labels,
    // and a stored version must read as it did.
    Map<String, ReasonCode> shown = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String at = path + "[" + i + "]";
      Optional<ReasonCode> entry =
          list.get(i) instanceof Map<?, ?> map
              ? labelled
                  ? entry(map, at, problems)
                  : refuse(
                      at, "list codes only: labels belong in the policy's reasonCodes", problems)
              : plain(list.get(i), at, labelled, problems);
      if (entry.isEmpty()) {
        continue;
      }
      ReasonCode code = entry.get();
      String codeAt = list.get(i) instanceof Map ? at + ".code" : at;
      if (codes.stream().anyMatch(c -> c.code().equals(code.code()))) {
        problems.add(new Problem(codeAt, "'" + code.code() + "' is listed twice"));
        continue;
      }
      String folded = code.shownLabel().toLowerCase(Locale.ROOT);
      ReasonCode other = shown.putIfAbsent(folded, code);
      if (other != null && (code.label().isPresent() || other.label().isPresent())) {
        problems.add(
            new Problem(
                code.label().isPresent() ? at + ".label" : at,
                "'" + code.shownLabel() + "' already names '" + other.code() + "'"));
      }
      codes.add(code);
    }
    return codes;
  }

  private static Optional<ReasonCode> plain(
      Object value, String at, boolean labelled, List<Problem> problems) {
    if (value instanceof String code && PolicyParser.ID.matcher(code).matches()) {
      return Optional.of(ReasonCode.plain(code));
    }
    return refuse(
        at,
        "must be a code matching "
            + PolicyParser.ID
            + (labelled ? ", or a mapping with code, label and definition" : ""),
        problems);
  }

  private static Optional<ReasonCode> entry(Map<?, ?> map, String at, List<Problem> problems) {
    int before = problems.size();
    for (Object key : map.keySet()) {
      if (!KEYS.contains(String.valueOf(key))) {
        problems.add(new Problem(at + "." + key, "unknown field"));
      }
    }
    Object code = map.get("code");
    if (!(code instanceof String c) || !PolicyParser.ID.matcher(c).matches()) {
      problems.add(
          new Problem(
              at + ".code",
              code == null ? "is required" : "must be a code matching " + PolicyParser.ID));
    }
    Optional<String> label = text(map.get("label"), at + ".label", ReasonCode.MAX_LABEL, problems);
    if (map.get("label") == null) {
      problems.add(new Problem(at + ".label", "is required: the words shown for the code"));
    }
    Optional<String> definition =
        text(map.get("definition"), at + ".definition", ReasonCode.MAX_DEFINITION, problems);
    return problems.size() == before
        ? Optional.of(new ReasonCode((String) code, label, definition))
        : Optional.empty();
  }

  /** Optional text: absent when left out, else a string of 1 to {@code max} characters. */
  private static Optional<String> text(Object value, String at, int max, List<Problem> problems) {
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text) || text.isBlank()) {
      problems.add(new Problem(at, "must be a non-blank string"));
    } else if (ReasonCode.length(text) > max) {
      problems.add(new Problem(at, "must be at most " + max + " characters"));
    } else if (at.endsWith(".label") && text.chars().anyMatch(Character::isISOControl)) {
      problems.add(new Problem(at, "must be one line of text"));
    } else {
      return Optional.of(text.strip());
    }
    return Optional.empty();
  }

  private static Optional<ReasonCode> refuse(String at, String message, List<Problem> problems) {
    problems.add(new Problem(at, message));
    return Optional.empty();
  }
}
