package io.arbiter.graph.api;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.List;
import org.apache.jena.graph.Node;
import org.apache.jena.sparql.expr.Expr;
import org.apache.jena.sparql.expr.ExprEvalException;
import org.apache.jena.sparql.expr.ExprFunctionN;
import org.apache.jena.sparql.expr.ExprList;
import org.apache.jena.sparql.expr.NodeValue;
import org.apache.jena.sparql.expr.nodevalue.NodeValueOps;
import org.apache.jena.sparql.sse.Tags;

/**
 * SPARQL {@code REGEX} and {@code REPLACE} on RE2J, which matches in time linear in the text.
 * Jena's own run on {@code java.util.regex}, which backtracks: {@code (a*?)*?b} against a long run
 * of {@code a}s takes exponential time inside one row, where the query timeout, checked between
 * rows, never sees it. Jena chooses its regex engine globally (Java or Xerces, both backtracking),
 * so {@link BoundedExpressions} puts these in place of Jena's in each query's algebra instead.
 *
 * <p>RE2J has no backreferences or lookaround, and neither has the XPath regex syntax SPARQL
 * specifies; a pattern RE2J cannot compile is an evaluation error, as an invalid pattern is.
 */
final class Re2Regex {

  private Re2Regex() {}

  /** Compiles a SPARQL pattern with XPath flags (i, m, s, q); x is refused. */
  static Pattern compile(String pattern, String flags) {
    int mask = 0;
    for (char flag : flags.toCharArray()) {
      switch (flag) {
        case 'i' -> mask |= Pattern.CASE_INSENSITIVE;
        case 'm' -> mask |= Pattern.MULTILINE;
        case 's' -> mask |= Pattern.DOTALL;
        case 'q' -> pattern = Pattern.quote(pattern);
        default -> throw new ExprEvalException("unsupported regex flag: " + flag);
      }
    }
    try {
      return Pattern.compile(pattern, mask);
    } catch (PatternSyntaxException e) {
      throw new ExprEvalException("invalid regex pattern");
    }
  }

  /** Why a pattern cannot be used here, if it cannot: for a clear 400 before the query runs. */
  static java.util.Optional<String> refusal(String pattern, String flags) {
    try {
      compile(pattern, flags);
      return java.util.Optional.empty();
    } catch (ExprEvalException e) {
      return java.util.Optional.of(
          "the regular expression /"
              + (pattern.length() > 80 ? pattern.substring(0, 80) + "…" : pattern)
              + "/ cannot be used: RE2 syntax only (no backreferences or lookaround), flags i, m,"
              + " s and q");
    }
  }

  /**
   * The last pattern an expression compiled: a constant pattern is compiled once per query, not
   * once per row. A plain field: one query's expressions run on one thread at a time.
   */
  private static final class LastPattern {
    private String pattern;
    private String flags;
    private Pattern compiled;

    Pattern get(String pattern, String flags) {
      if (compiled == null || !pattern.equals(this.pattern) || !flags.equals(this.flags)) {
        Pattern fresh = compile(pattern, flags);
        this.pattern = pattern;
        this.flags = flags;
        this.compiled = fresh;
      }
      return compiled;
    }
  }

  private static String string(String function, NodeValue value) {
    return NodeValueOps.checkAndGetStringLiteral(function, value).getLiteralLexicalForm();
  }

  private static String flags(List<NodeValue> args, int at) {
    return args.size() > at ? string("flags", args.get(at)) : "";
  }

  /** {@code REGEX(text, pattern [, flags])}. */
  static final class Match extends ExprFunctionN {

    private final LastPattern last = new LastPattern();

    Match(ExprList args) {
      super(Tags.tagRegex, args);
    }

    @Override
    public NodeValue eval(List<NodeValue> args) {
      String text = string("REGEX", args.get(0));
      Pattern pattern = last.get(string("REGEX", args.get(1)), flags(args, 2));
      return NodeValue.booleanReturn(pattern.matcher(text).find());
    }

    @Override
    public Expr copy(ExprList args) {
      return new Match(args);
    }
  }

  /**
   * {@code REPLACE(text, pattern, replacement [, flags])}, refusing a result longer than {@code
   * maxChars} before building it: the replacement's expansion is sized before it is appended, as
   * {@code $0$0$0…} against a long match would otherwise build gigabytes from two short strings.
   */
  static final class Replace extends ExprFunctionN {

    private final int maxChars;
    private final LastPattern lastPattern = new LastPattern();

    Replace(ExprList args, int maxChars) {
      super(Tags.tagReplace, args);
      this.maxChars = maxChars;
    }

    @Override
    public NodeValue eval(List<NodeValue> args) {
      Node text = NodeValueOps.checkAndGetStringLiteral("REPLACE", args.get(0));
      String input = text.getLiteralLexicalForm();
      Pattern pattern = lastPattern.get(string("REPLACE", args.get(1)), flags(args, 3));
      List<Object> replacement = parseReplacement(string("REPLACE", args.get(2)));
      Matcher m = pattern.matcher(input);
      StringBuilder out = new StringBuilder();
      int last = 0;
      while (m.find()) {
        if (m.start() == m.end()) {
          throw new ExprEvalException("REPLACE: the pattern matches the empty string");
        }
        long size = (long) m.start() - last;
        for (Object part : replacement) {
          size += part instanceof Integer g ? groupLength(m, g) : ((String) part).length();
        }
        if (out.length() + size > maxChars) {
          throw BoundedExpressions.tooLong("REPLACE", maxChars);
        }
        out.append(input, last, m.start());
        for (Object part : replacement) {
          if (part instanceof Integer g) {
            if (m.start(g) >= 0) {
              out.append(input, m.start(g), m.end(g));
            }
          } else {
            out.append((String) part);
          }
        }
        last = m.end();
      }
      if (out.length() + (input.length() - last) > maxChars) {
        throw BoundedExpressions.tooLong("REPLACE", maxChars);
      }
      out.append(input, last, input.length());
      String lang = text.getLiteralLanguage();
      return lang.isEmpty()
          ? NodeValue.makeString(out.toString())
          : NodeValue.makeLangString(out.toString(), lang);
    }

    private static int groupLength(Matcher m, int group) {
      if (group > m.groupCount()) {
        throw new ExprEvalException("REPLACE: no group " + group);
      }
      return m.start(group) < 0 ? 0 : m.end(group) - m.start(group);
    }

    /**
     * The replacement as literal strings and group numbers: {@code $n} is group n, {@code \$} and
     * {@code \\} are the characters; any other {@code $} or {@code \} is an error (XPath's rules).
     */
    static List<Object> parseReplacement(String replacement) {
      List<Object> parts = new ArrayList<>();
      StringBuilder literal = new StringBuilder();
      for (int i = 0; i < replacement.length(); i++) {
        char c = replacement.charAt(i);
        char next = i + 1 < replacement.length() ? replacement.charAt(i + 1) : 0;
        if (c == '\\' && (next == '\\' || next == '$')) {
          literal.append(next);
          i++;
        } else if (c == '$' && next >= '0' && next <= '9') {
          if (!literal.isEmpty()) {
            parts.add(literal.toString());
            literal.setLength(0);
          }
          parts.add(next - '0');
          i++;
        } else if (c == '\\' || c == '$') {
          throw new ExprEvalException("REPLACE: invalid replacement string");
        } else {
          literal.append(c);
        }
      }
      if (!literal.isEmpty()) {
        parts.add(literal.toString());
      }
      return parts;
    }

    @Override
    public Expr copy(ExprList args) {
      return new Replace(args, maxChars);
    }
  }
}
