package io.arbiter.policy;

import java.util.List;

/**
 * A policy document that cannot be used, with every problem found: where (a path into the document
 * such as {@code rules[2].condition}, and for CEL the line and column) and what is wrong.
 */
public final class PolicyDocumentException extends Exception {

  /** One problem; {@code path} names the field at fault, e.g. {@code rules[1] 'large-amount'}. */
  public record Problem(String path, String message) {
    @Override
    public String toString() {
      return path.isEmpty() ? message : path + ": " + message;
    }
  }

  private final List<Problem> problems;

  public PolicyDocumentException(String sourceName, List<Problem> problems) {
    super(describe(sourceName, problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String describe(String sourceName, List<Problem> problems) {
    StringBuilder text = new StringBuilder("policy ").append(sourceName).append(" is invalid:");
    for (Problem problem : problems) {
      text.append("\n  - ").append(problem);
    }
    return text.toString();
  }
}
