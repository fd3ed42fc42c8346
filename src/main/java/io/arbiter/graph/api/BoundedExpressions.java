package io.arbiter.graph.api;

import java.util.ArrayList;
import java.util.List;
import org.apache.jena.graph.Node;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.sparql.ARQConstants;
import org.apache.jena.sparql.algebra.Op;
import org.apache.jena.sparql.algebra.TransformCopy;
import org.apache.jena.sparql.algebra.Transformer;
import org.apache.jena.sparql.algebra.op.OpGroup;
import org.apache.jena.sparql.algebra.optimize.Optimize;
import org.apache.jena.sparql.algebra.optimize.Rewrite;
import org.apache.jena.sparql.algebra.optimize.RewriteFactory;
import org.apache.jena.sparql.engine.binding.Binding;
import org.apache.jena.sparql.expr.E_Call;
import org.apache.jena.sparql.expr.E_Function;
import org.apache.jena.sparql.expr.E_Regex;
import org.apache.jena.sparql.expr.E_StrConcat;
import org.apache.jena.sparql.expr.E_StrEncodeForURI;
import org.apache.jena.sparql.expr.E_StrLowerCase;
import org.apache.jena.sparql.expr.E_StrReplace;
import org.apache.jena.sparql.expr.E_StrUpperCase;
import org.apache.jena.sparql.expr.Expr;
import org.apache.jena.sparql.expr.ExprAggregator;
import org.apache.jena.sparql.expr.ExprFunction1;
import org.apache.jena.sparql.expr.ExprFunctionN;
import org.apache.jena.sparql.expr.ExprFunctionOp;
import org.apache.jena.sparql.expr.ExprList;
import org.apache.jena.sparql.expr.ExprTransformCopy;
import org.apache.jena.sparql.expr.NodeValue;
import org.apache.jena.sparql.expr.aggregate.Accumulator;
import org.apache.jena.sparql.expr.aggregate.AccumulatorExpr;
import org.apache.jena.sparql.expr.aggregate.AggGroupConcat;
import org.apache.jena.sparql.expr.aggregate.AggGroupConcatDistinct;
import org.apache.jena.sparql.expr.aggregate.Aggregator;
import org.apache.jena.sparql.function.FunctionEnv;
import org.apache.jena.sparql.pfunction.PropertyFunctionRegistry;
import org.apache.jena.sparql.util.Context;

/**
 * Bounds what one SPARQL expression may build, so that memory is bounded within a row and not only
 * by the row cap: {@code CONCAT} doubling a string twenty times needs no more than twenty rows to
 * fill a heap. Installed per query through Jena's optimizer hook ({@link
 * ARQConstants#sysOptimizerFactory}); the query's text is never rewritten. Before Jena's own
 * optimizer runs (which folds constants, so already evaluates), the algebra's expressions are
 * replaced:
 *
 * <ul>
 *   <li>{@code REGEX} and {@code REPLACE} by RE2J ({@link Re2Regex}), linear in time;
 *   <li>{@code CONCAT} and {@code REPLACE} size their result before building it;
 *   <li>the functions that can grow a string by a constant factor ({@code ENCODE_FOR_URI}, {@code
 *       UCASE}, {@code LCASE}) and extension functions by IRI have their result checked, and an
 *       extension call takes at most {@link #MAX_CALL_ARGUMENTS} arguments;
 *   <li>{@code GROUP_CONCAT} stops accumulating at the limit.
 * </ul>
 *
 * Property functions ({@code apf:concat} and the like) are switched off for these queries.
 *
 * <p>Past a limit the query fails with {@link LimitExceeded}, a {@link QueryCancelledException}:
 * FILTER turns an {@code ExprEvalException} into false and logs any other exception and goes on to
 * the next row; a cancellation is the one thing it passes on.
 */
final class BoundedExpressions {

  /** More than any XPath or ARQ function needs; {@code fn:concat} with thousands would not be. */
  static final int MAX_CALL_ARGUMENTS = 16;

  /** A query went past one of the limits; the message says which, in terms a client can use. */
  static final class LimitExceeded extends QueryCancelledException {
    private final String why;

    LimitExceeded(String why) {
      this.why = why;
    }

    @Override
    public String getMessage() {
      return why;
    }
  }

  private BoundedExpressions() {}

  static LimitExceeded tooLong(String function, int maxChars) {
    return new LimitExceeded(
        function + " would build a string longer than " + maxChars + " characters");
  }

  /**
   * Makes every query run with {@code context} bound: strings at most {@code maxChars} long. Set on
   * each execution's own context, never globally, so Arbiter's internal reads are as Jena runs
   * them.
   */
  static void install(Context context, int maxChars) {
    RewriteFactory jena = Optimize.getFactory();
    RewriteFactory bounded =
        cxt -> {
          Rewrite standard = jena.create(cxt);
          return op -> standard.rewrite(bound(op, maxChars));
        };
    context.set(ARQConstants.sysOptimizerFactory, bounded);
    context.set(ARQConstants.registryPropertyFunctions, new PropertyFunctionRegistry());
  }

  /** {@code op} with its expressions replaced by bounded ones (see the class comment). */
  static Op bound(Op op, int maxChars) {
    return Transformer.transform(new GroupConcats(maxChars), new Replacements(maxChars), op);
  }

  /** Jena's walker copies a group's aggregators without the expression transform: done here. */
  private static final class GroupConcats extends TransformCopy {
    private final int maxChars;

    GroupConcats(int maxChars) {
      this.maxChars = maxChars;
    }

    @Override
    public Op transform(OpGroup group, Op sub) {
      List<ExprAggregator> aggregators = new ArrayList<>();
      for (ExprAggregator aggregate : group.getAggregators()) {
        Aggregator agg = aggregate.getAggregator();
        if (agg instanceof AggGroupConcat concat) {
          agg =
              new GroupConcat(concat.getExprList().get(0), concat.getSeparator(), false, maxChars);
        } else if (agg instanceof AggGroupConcatDistinct concat) {
          agg = new GroupConcat(concat.getExprList().get(0), concat.getSeparator(), true, maxChars);
        }
        aggregators.add(new ExprAggregator(aggregate.getVar(), agg));
      }
      return new OpGroup(sub, group.getGroupVars(), aggregators);
    }
  }

  private static final class Replacements extends ExprTransformCopy {
    private final int maxChars;

    Replacements(int maxChars) {
      this.maxChars = maxChars;
    }

    @Override
    public Expr transform(ExprFunctionN func, ExprList args) {
      if (func instanceof E_Regex) {
        return new Re2Regex.Match(args);
      }
      if (func instanceof E_StrReplace) {
        return new Re2Regex.Replace(args, maxChars);
      }
      if (func instanceof E_StrConcat) {
        return new Concat(args, maxChars);
      }
      if (func instanceof E_Function || func instanceof E_Call) {
        if (args.size() > MAX_CALL_ARGUMENTS) {
          throw new LimitExceeded(
              "an extension function is called with "
                  + args.size()
                  + " arguments; at most "
                  + MAX_CALL_ARGUMENTS
                  + " are allowed");
        }
        return new Checked(super.transform(func, args), maxChars);
      }
      return super.transform(func, args);
    }

    @Override
    public Expr transform(ExprFunction1 func, Expr arg) {
      Expr copy = super.transform(func, arg);
      boolean grows =
          func instanceof E_StrEncodeForURI
              || func instanceof E_StrUpperCase
              || func instanceof E_StrLowerCase;
      return grows ? new Checked(copy, maxChars) : copy;
    }

    /**
     * EXISTS and NOT EXISTS: Jena's walker visits their pattern but keeps the original, so their
     * pattern is bounded here, explicitly.
     */
    @Override
    public Expr transform(ExprFunctionOp funcOp, ExprList args, Op opArg) {
      return funcOp.copy(args, bound(funcOp.getGraphPattern(), maxChars));
    }
  }

  private static int length(NodeValue value) {
    Node node = value.asNode();
    return node.isLiteral() ? node.getLiteralLexicalForm().length() : 0;
  }

  /** {@code CONCAT}, refusing before it builds a string longer than the limit. */
  static final class Concat extends E_StrConcat {
    private final int maxChars;

    Concat(ExprList args, int maxChars) {
      super(args);
      this.maxChars = maxChars;
    }

    @Override
    public NodeValue eval(List<NodeValue> args) {
      long total = 0;
      for (NodeValue arg : args) {
        total += length(arg);
      }
      if (total > maxChars) {
        throw tooLong("CONCAT", maxChars);
      }
      return super.eval(args);
    }

    @Override
    public Expr copy(ExprList args) {
      return new Concat(args, maxChars);
    }
  }

  /** Passes its argument's value on, refusing a literal longer than the limit. */
  static final class Checked extends ExprFunction1 {
    private final int maxChars;

    Checked(Expr expr, int maxChars) {
      super(expr, "arbiter:bounded");
      this.maxChars = maxChars;
    }

    @Override
    public NodeValue eval(NodeValue value) {
      if (length(value) > maxChars) {
        throw tooLong(expr.toString().length() > 40 ? "a function" : expr.toString(), maxChars);
      }
      return value;
    }

    @Override
    public Expr copy(Expr expr) {
      return new Checked(expr, maxChars);
    }
  }

  /** {@code GROUP_CONCAT}, failing the query once the concatenation passes the limit. */
  static final class GroupConcat extends AggGroupConcat {
    private final boolean distinct;
    private final int maxChars;

    GroupConcat(Expr expr, String separator, boolean distinct, int maxChars) {
      super(expr, separator);
      this.distinct = distinct;
      this.maxChars = maxChars;
    }

    @Override
    public Aggregator copy(ExprList exprs) {
      return new GroupConcat(exprs.get(0), getSeparator(), distinct, maxChars);
    }

    @Override
    public Accumulator createAccumulator() {
      String separator = getSeparator() == null ? " " : getSeparator();
      return new AccumulatorExpr(getExprList().get(0), distinct) {
        private final StringBuilder text = new StringBuilder();
        private boolean first = true;

        @Override
        protected void accumulate(NodeValue value, Binding binding, FunctionEnv env) {
          String piece = value.asString();
          if (text.length() + separator.length() + piece.length() > maxChars) {
            throw tooLong("GROUP_CONCAT", maxChars);
          }
          if (!first) {
            text.append(separator);
          }
          first = false;
          text.append(piece);
        }

        @Override
        protected void accumulateError(Binding binding, FunctionEnv env) {}

        @Override
        protected NodeValue getAccValue() {
          return NodeValue.makeString(text.toString());
        }
      };
    }
  }
}
