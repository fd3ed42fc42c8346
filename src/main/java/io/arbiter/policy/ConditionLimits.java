package io.arbiter.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a condition of a new policy version may cost, checked on its type-checked AST when the
 * version is created. CEL terminates, but not in linear time: three nested {@code all()} over
 * 100-item lists is a million iterations, about three seconds of intake per decision. These limits
 * keep an author from storing such a condition at all; {@link #MAX_ITERATIONS} and the evaluation
 * deadline bound what remains at run time (comprehensions over a request's {@code context} lists).
 *
 * <p>Checked for new versions only: a version recorded before these limits existed is restored as
 * it was, and fails safe at run time if it exceeds the iteration budget or the deadline.
 */
final class ConditionLimits {

  /** Expression nesting depth (the AST's height): deeper is unreadable, and costs the compiler. */
  static final int MAX_DEPTH = 32;

  /** Comprehensions ({@code all}, {@code exists}, {@code map}, ...) inside one another. */
  static final int MAX_COMPREHENSION_NESTING = 2;

  /** Elements of one list literal: room for every ISO country code. */
  static final int MAX_LIST_ELEMENTS = 256;

  /**
   * Comprehension iterations in one evaluation of one condition, all comprehensions together (CEL
   * counts per evaluation): two nested comprehensions over 100-item lists fit. Beyond it the
   * evaluation is an error, which fails safe to review.
   */
  static final int MAX_ITERATIONS = 20_000;

  private ConditionLimits() {}

  /** What is wrong with {@code ast} against these limits, each as a message; empty if nothing. */
  static List<String> check(CelAbstractSyntaxTree ast) {
    List<String> problems = new ArrayList<>();
    CelNavigableExpr root = CelNavigableAst.fromAst(ast).getRoot();
    if (root.height() > MAX_DEPTH) {
      problems.add(
          "nests expressions "
              + root.height()
              + " deep; at most "
              + MAX_DEPTH
              + " levels are allowed");
    }
    root.allNodes()
        .forEach(
            node -> {
              CelExpr expr = node.expr();
              if (expr.getKind() == CelExpr.ExprKind.Kind.LIST
                  && expr.list().elements().size() > MAX_LIST_ELEMENTS) {
                problems.add(
                    at(ast, expr)
                        + "a list literal of "
                        + expr.list().elements().size()
                        + " elements; at most "
                        + MAX_LIST_ELEMENTS
                        + " are allowed");
              }
              if (expr.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION
                  && comprehensionsAround(node) == MAX_COMPREHENSION_NESTING) {
                problems.add(
                    at(ast, expr)
                        + "comprehensions (all, exists, exists_one, map, filter) nested more than "
                        + MAX_COMPREHENSION_NESTING
                        + " deep");
              }
            });
    return problems;
  }

  /** How many comprehensions enclose {@code node}. */
  private static int comprehensionsAround(CelNavigableExpr node) {
    int count = 0;
    for (Optional<CelNavigableExpr> up = node.parent(); up.isPresent(); up = up.get().parent()) {
      if (up.get().expr().getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
        count++;
      }
    }
    return count;
  }

  private static String at(CelAbstractSyntaxTree ast, CelExpr expr) {
    Integer offset = ast.getSource().getPositionsMap().get(expr.id());
    if (offset == null) {
      return "";
    }
    return ast.getSource()
        .getOffsetLocation(offset)
        .map(l -> "line " + l.getLine() + ", column " + (l.getColumn() + 1) + ": ")
        .orElse("");
  }
}
