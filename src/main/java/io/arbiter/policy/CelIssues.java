package io.arbiter.policy;

import dev.cel.common.CelIssue;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns CEL's type-check issues into messages a policy author can act on.
 *
 * <p>Conditions see qualified variables ({@code output.confidence}, {@code input.amount}), which
 * CEL resolves by trying the longest dotted name first. A misspelt field ({@code output.confidnce})
 * therefore fails on its root, and CEL reports "undeclared reference to 'output'", naming the one
 * part that is right. Here the message names the dotted name as written, up to its first segment
 * that no variable has, what that root offers, and the nearest variable when one is a small edit
 * away. Other issues keep CEL's text, without its "(in container '')" noise.
 */
final class CelIssues {

  private static final Pattern UNDECLARED =
      Pattern.compile("undeclared reference to '([^']*)'(?: \\(in container '[^']*'\\))?");
  private static final Pattern DOTTED_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(?:\\s*\\.\\s*[A-Za-z_][A-Za-z0-9_]*)*");
  private static final Pattern CONTAINER_NOISE = Pattern.compile(" \\(in container '[^']*'\\)");

  private static final String INPUT_ROOT = "input";

  /** A suggestion is offered only within this many single-character edits. */
  private static final int NEAR = 2;

  private final Set<String> variables;

  /**
   * @param variables every variable a condition may read, by its dotted name ({@code input.amount},
   *     {@code context})
   */
  CelIssues(Set<String> variables) {
    this.variables = new TreeSet<>(variables);
  }

  /** "line L, column C: message", the column 1-based as an editor counts it. */
  String describe(CelIssue issue, String expression) {
    var at = issue.getSourceLocation();
    int line = at.getLine();
    int column = at.getColumn() + 1;
    return "line " + line + ", column " + column + ": " + message(issue, expression, line, column);
  }

  private String message(CelIssue issue, String expression, int line, int column) {
    Matcher undeclared = UNDECLARED.matcher(issue.getMessage());
    if (undeclared.matches()) {
      Optional<String> written = nameAt(expression, line, column);
      if (written.isPresent() && written.get().startsWith(undeclared.group(1))) {
        return undeclared(written.get());
      }
    }
    return CONTAINER_NOISE.matcher(issue.getMessage()).replaceAll("");
  }

  /**
   * The dotted name written at a 1-based line and column of the expression, if one starts there.
   */
  static Optional<String> nameAt(String expression, int line, int column) {
    String[] lines = expression.split("\n", -1);
    if (line < 1 || line > lines.length) {
      return Optional.empty();
    }
    String text = lines[line - 1];
    int start =
        text.offsetByCodePoints(0, Math.min(column - 1, text.codePointCount(0, text.length())));
    Matcher name = DOTTED_NAME.matcher(text).region(start, text.length());
    return name.lookingAt() ? Optional.of(name.group().replaceAll("\\s", "")) : Optional.empty();
  }

  private String undeclared(String written) {
    String[] segments = written.split("\\.");
    String root = segments[0];
    // The name up to its first segment no variable has: output.confidnce of output.confidnce.x.
    // input is a root even when the policy declares no input.
    String unknown = root;
    for (int i = 1; i < segments.length && (isPrefix(unknown) || unknown.equals(INPUT_ROOT)); i++) {
      unknown = unknown + "." + segments[i];
    }
    StringBuilder text = new StringBuilder("undeclared reference to '").append(unknown).append("'");
    List<String> fields = fieldsOf(root);
    if (root.equals(INPUT_ROOT)) {
      text.append(": not a declared input (the policy declares ")
          .append(fields.isEmpty() ? "none" : String.join(", ", fields))
          .append(")");
    } else if (fields.isEmpty()) {
      text.append(": conditions may read ").append(String.join(", ", roots()));
    } else {
      text.append(": ").append(root).append(" has ").append(String.join(", ", fields));
    }
    nearest(unknown).ifPresent(v -> text.append("; did you mean ").append(v).append("?"));
    return text.toString();
  }

  private boolean isPrefix(String name) {
    return variables.stream().anyMatch(v -> v.equals(name) || v.startsWith(name + "."));
  }

  private List<String> fieldsOf(String root) {
    return variables.stream()
        .filter(v -> v.startsWith(root + "."))
        .map(v -> v.substring(root.length() + 1))
        .toList();
  }

  private Set<String> roots() {
    Set<String> roots =
        variables.stream()
            .map(v -> v.contains(".") ? v.substring(0, v.indexOf('.')) + ".*" : v)
            .collect(Collectors.toCollection(TreeSet::new));
    roots.add(INPUT_ROOT + ".*");
    return roots;
  }

  private Optional<String> nearest(String name) {
    int segments = name.split("\\.").length;
    return variables.stream()
        .filter(v -> v.split("\\.").length == segments)
        .filter(v -> distance(v, name) <= NEAR)
        .min(Comparator.comparingInt((String v) -> distance(v, name)).thenComparing(v -> v));
  }

  /** Levenshtein distance; names are short (at most 64 characters a segment). */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
