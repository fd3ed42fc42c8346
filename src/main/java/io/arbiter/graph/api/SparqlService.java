package io.arbiter.graph.api;

import io.arbiter.graph.api.QueryListener.Form;
import io.arbiter.graph.api.QueryListener.Outcome;
import io.arbiter.graph.prov.BundleFilter;
import io.arbiter.graph.prov.GraphReads;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.web.Permits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryException;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.ResultSet;
import org.apache.jena.query.ResultSetFactory;
import org.apache.jena.query.ResultSetRewindable;
import org.apache.jena.query.Syntax;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.sparql.algebra.Algebra;
import org.apache.jena.sparql.algebra.Op;
import org.apache.jena.sparql.algebra.OpVisitorBase;
import org.apache.jena.sparql.algebra.op.OpService;
import org.apache.jena.sparql.algebra.walker.Walker;
import org.apache.jena.sparql.core.Var;
import org.apache.jena.sparql.engine.binding.Binding;
import org.apache.jena.sparql.exec.RowSetStream;
import org.apache.jena.sparql.expr.E_Function;
import org.apache.jena.sparql.expr.ExprFunctionN;
import org.apache.jena.sparql.expr.ExprFunctionOp;
import org.apache.jena.sparql.expr.ExprVisitorBase;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.update.UpdateFactory;

/**
 * Read-only SPARQL for auditors over the union of all bundles: parses, refuses updates and
 * federation, caps results, and cancels queries that run past the timeout. Results are materialised
 * (bounded by the cap) before anything is sent, so a timeout becomes a clean problem response
 * rather than a truncated body. {@link #onQueried} listeners hear how long each query ran.
 *
 * <p>The row cap alone does not bound memory or time: one row can hold a string that doubled twenty
 * times, one regex can backtrack for hours within a row, one CONSTRUCT template can multiply
 * triples. {@link Limits} bound each of these ({@link BoundedExpressions} inside the query, the
 * result's size and triples while it is materialised), and {@link #execute(Query, String)} bounds
 * how many queries run at once.
 */
public final class SparqlService {

  private static final Logger LOG = Logger.getLogger(SparqlService.class.getName());

  /** A query's result: a table (SELECT), a boolean (ASK) or a graph (CONSTRUCT, DESCRIBE). */
  public sealed interface Result permits Table, Bool, GraphResult {}

  /**
   * @param capped whether the cap cut the result short
   */
  public record Table(ResultSetRewindable rows, boolean capped) implements Result {}

  public record Bool(boolean value) implements Result {}

  public record GraphResult(Model model) implements Result {}

  /**
   * What one query may take.
   *
   * @param timeout how long it may run; cancelled beyond
   * @param resultCap rows (SELECT) or solutions (CONSTRUCT, DESCRIBE) kept; more are cut off
   * @param maxResultBytes the materialised result's size, counted as the characters of its terms;
   *     beyond it the query is refused, as a result cut by size would be cut mid-row
   * @param maxTriples triples a CONSTRUCT or DESCRIBE may produce; beyond it the query is refused
   * @param maxStringChars the longest string an expression may build ({@link BoundedExpressions})
   * @param perCaller queries one caller may run at once
   * @param total queries that may run at once
   */
  public record Limits(
      Duration timeout,
      long resultCap,
      long maxResultBytes,
      long maxTriples,
      int maxStringChars,
      int perCaller,
      int total) {

    /** The configuration's defaults, with this timeout and row cap (for tests and tools). */
    public static Limits of(Duration timeout, long resultCap) {
      return new Limits(timeout, resultCap, 16L << 20, 100_000, 262_144, 2, 4);
    }
  }

  private final GraphReads store;
  private final Limits limits;
  private final Duration timeout;
  private final long resultCap;
  private final Permits permits;
  private final List<QueryListener> listeners = new CopyOnWriteArrayList<>();

  public SparqlService(GraphReads store, Duration timeout, long resultCap) {
    this(store, Limits.of(timeout, resultCap));
  }

  public SparqlService(GraphReads store, Limits limits) {
    this.store = store;
    this.limits = limits;
    this.timeout = limits.timeout();
    this.resultCap = limits.resultCap();
    this.permits =
        new Permits("SPARQL queries", "arbiter.sparql", limits.perCaller(), limits.total());
  }

  public long resultCap() {
    return resultCap;
  }

  /**
   * Calls {@code listener} after every query {@link #execute} runs from now on, whether it was
   * answered, cancelled at the timeout or failed.
   */
  public void onQueried(QueryListener listener) {
    listeners.add(listener);
  }

  /**
   * Parses a query; protocol dataset parameters, when given, replace any FROM / FROM NAMED.
   *
   * @throws ProblemException {@code sparql-syntax} or {@code sparql-update-refused}
   */
  public Query parse(String text, List<String> defaultGraphs, List<String> namedGraphs) {
    Query query;
    try {
      query = QueryFactory.create(text, Syntax.syntaxARQ);
    } catch (QueryParseException e) {
      if (isUpdate(text)) {
        throw updateRefused();
      }
      throw new ProblemException(
          ProblemType.SPARQL_SYNTAX,
          "The query does not parse: syntax error at line "
              + e.getLine()
              + ", column "
              + e.getColumn()
              + ".");
    } catch (QueryException e) {
      throw new ProblemException(ProblemType.SPARQL_SYNTAX, "The query is not valid SPARQL.");
    }
    refuseFederation(query);
    if (!defaultGraphs.isEmpty() || !namedGraphs.isEmpty()) {
      Query described = query.cloneQuery();
      described.getGraphURIs().clear();
      described.getNamedGraphURIs().clear();
      defaultGraphs.forEach(described::addGraphURI);
      namedGraphs.forEach(described::addNamedGraphURI);
      query = described;
    }
    return query;
  }

  public static ProblemException updateRefused() {
    return new ProblemException(
        ProblemType.SPARQL_UPDATE_REFUSED,
        "This endpoint answers queries only; the graph changes through Arbiter's API, never by SPARQL Update.");
  }

  /**
   * Runs a parsed query for {@code caller}, as the endpoint and the audit queries do: within the
   * caller's and the server's share of concurrent queries, then as {@link #execute(Query)}.
   *
   * @throws ProblemException {@code too-many-requests} or {@code server-busy} at once when the
   *     caller's or everyone's queries already fill their share; else as {@link #execute(Query)}
   */
  public Result execute(Query query, String caller) {
    return execute(query, caller, Optional.empty());
  }

  /**
   * As {@link #execute(Query, String)}, over the bundles {@code visible} accepts only, when given
   * (a caller bound to tenants): the query is unchanged, the dataset it sees is a view.
   *
   * @throws ProblemException {@code forbidden} when the store cannot show some bundles only (a
   *     remote SPARQL store); else as {@link #execute(Query, String)}
   */
  public Result execute(Query query, String caller, Optional<BundleFilter> visible) {
    try (Permits.Permit permit = permits.acquire(caller)) {
      return execute(query, visible);
    }
  }

  /**
   * Runs a parsed query within the timeout, cap and limits. SELECT asks for one row more than the
   * cap, so a cut result is known to be cut; CONSTRUCT and DESCRIBE are capped in solutions,
   * unflagged.
   *
   * @throws ProblemException {@code query-timeout}, or {@code query-too-large} naming the limit
   */
  public Result execute(Query query) {
    return execute(query, Optional.empty());
  }

  private Result execute(Query query, Optional<BundleFilter> visible) {
    boolean limitable = query.isSelectType() || query.isConstructType() || query.isDescribeType();
    long asked = query.hasLimit() ? query.getLimit() : Long.MAX_VALUE;
    if (limitable && asked > resultCap) {
      query = query.cloneQuery();
      query.setLimit(query.isSelectType() ? resultCap + 1 : resultCap);
    }
    Form form = form(query);
    Outcome outcome = Outcome.FAILED;
    long started = System.nanoTime();
    try {
      Result result = run(query, visible);
      outcome = Outcome.OK;
      return result;
    } catch (BoundedExpressions.LimitExceeded e) {
      throw new ProblemException(
          ProblemType.QUERY_TOO_LARGE,
          "The query was stopped: " + e.getMessage() + ".",
          List.of(new FieldError("query", e.getMessage())));
    } catch (QueryCancelledException e) {
      outcome = Outcome.TIMEOUT;
      throw new ProblemException(
          ProblemType.QUERY_TIMEOUT,
          "The query ran longer than "
              + timeout.toMillis()
              + " ms and was cancelled. Narrow it, or "
              + "start property paths from a known node.");
    } finally {
      report(form, outcome, System.nanoTime() - started);
    }
  }

  private Result run(Query query, Optional<BundleFilter> visible) {
    Function<QueryExecution, Result> reader = this::read;
    if (visible.isEmpty()) {
      return store.query(query, timeout, reader);
    }
    try {
      return store.query(query, timeout, visible.get(), reader);
    } catch (UnsupportedOperationException e) {
      throw TenantBundles.cannotNarrow();
    }
  }

  private Result read(QueryExecution execution) {
    // Before exec*: the plan, and the optimizer that the limits hook into, is made then.
    BoundedExpressions.install(execution.getContext(), limits.maxStringChars());
    Query running = execution.getQuery();
    if (running.isSelectType()) {
      return table(execution.execSelect());
    }
    if (running.isAskType()) {
      return new Bool(execution.execAsk());
    }
    GraphResult graph =
        graph(
            running.isConstructType()
                ? execution.execConstructTriples()
                : execution.execDescribeTriples());
    // As execConstruct would: the query's prefixes, for the Turtle the client gets.
    graph.model().setNsPrefixes(running.getPrefixMapping());
    return graph;
  }

  /** The triples, refused past the triple or byte limit rather than cut (a cut graph misleads). */
  private GraphResult graph(java.util.Iterator<Triple> triples) {
    Graph graph = GraphFactory.createDefaultGraph();
    long bytes = 0;
    while (triples.hasNext()) {
      Triple triple = triples.next();
      if (graph.size() >= limits.maxTriples()) {
        throw new BoundedExpressions.LimitExceeded(
            "the result has more than "
                + limits.maxTriples()
                + " triples (arbiter.sparql.max-triples); narrow the template or add a LIMIT");
      }
      bytes += size(triple.getSubject()) + size(triple.getPredicate()) + size(triple.getObject());
      requireWithinBytes(bytes);
      graph.add(triple);
    }
    return new GraphResult(ModelFactory.createModelForGraph(graph));
  }

  private void requireWithinBytes(long bytes) {
    if (bytes > limits.maxResultBytes()) {
      throw new BoundedExpressions.LimitExceeded(
          "the result is larger than "
              + limits.maxResultBytes()
              + " bytes (arbiter.sparql.max-result-bytes); select fewer or shorter values");
    }
  }

  /** A term's size as the result counts it: its text, and a little for the row around it. */
  private static long size(Node node) {
    if (node == null) {
      return 0;
    }
    if (node.isLiteral()) {
      return 8 + node.getLiteralLexicalForm().length() + node.getLiteralDatatypeURI().length();
    }
    return 8 + (node.isURI() ? node.getURI().length() : node.toString().length());
  }

  private static Form form(Query query) {
    if (query.isSelectType()) {
      return Form.SELECT;
    }
    if (query.isAskType()) {
      return Form.ASK;
    }
    if (query.isConstructType()) {
      return Form.CONSTRUCT;
    }
    return query.isDescribeType() ? Form.DESCRIBE : Form.OTHER;
  }

  // The query has run: a failing listener is logged and changes neither its result nor its error.
  private void report(Form form, Outcome outcome, long nanos) {
    for (QueryListener listener : listeners) {
      try {
        listener.queried(form, outcome, nanos);
      } catch (RuntimeException | LinkageError e) {
        LOG.log(Level.WARNING, "a query listener failed", e);
      }
    }
  }

  private Table table(ResultSet results) {
    List<Binding> rows = new ArrayList<>();
    long bytes = 0;
    while (results.hasNext() && rows.size() <= resultCap) {
      Binding row = results.nextBinding();
      for (var vars = row.vars(); vars.hasNext(); ) {
        bytes += size(row.get(vars.next()));
      }
      requireWithinBytes(bytes);
      rows.add(row);
    }
    boolean capped = rows.size() > resultCap;
    if (capped) {
      rows.remove(rows.size() - 1);
    }
    List<Var> vars = results.getResultVars().stream().map(Var::alloc).toList();
    ResultSet kept = ResultSet.adapt(RowSetStream.create(vars, rows.iterator()));
    return new Table(ResultSetFactory.copyResults(kept), capped);
  }

  private static void refuseFederation(Query query) {
    refuseFederation(Algebra.compile(query));
  }

  // The store's context also forbids SERVICE; this walk gives the client a clear answer, including
  // for SERVICE hidden in EXISTS/NOT EXISTS, and refuses java: functions (ARQ would load a class).
  private static void refuseFederation(Op op) {
    Walker.walk(
        op,
        new OpVisitorBase() {
          @Override
          public void visit(OpService service) {
            throw new ProblemException(
                ProblemType.BAD_REQUEST,
                "SERVICE (federated query) is not allowed: this endpoint queries Arbiter's graph only.");
          }
        },
        new ExprVisitorBase() {
          @Override
          public void visit(ExprFunctionOp pattern) {
            refuseFederation(pattern.getGraphPattern());
          }

          @Override
          public void visit(ExprFunctionN function) {
            if (function instanceof E_Function call && call.getFunctionIRI().startsWith("java:")) {
              throw new ProblemException(
                  ProblemType.BAD_REQUEST,
                  "java: extension functions are not allowed on this endpoint.");
            }
            refuseUnusableRegex(function);
          }
        });
  }

  /**
   * A constant pattern RE2J cannot run (backreferences, lookaround, the x flag) would make every
   * row an evaluation error, so an empty answer: say so before the query runs.
   */
  private static void refuseUnusableRegex(ExprFunctionN function) {
    int pattern;
    if (function instanceof org.apache.jena.sparql.expr.E_Regex) {
      pattern = 1;
    } else if (function instanceof org.apache.jena.sparql.expr.E_StrReplace) {
      pattern = 2;
    } else {
      return;
    }
    var args = function.getArgs();
    int flagsAt = pattern == 1 ? 2 : 3;
    var flags = args.size() > flagsAt ? args.get(flagsAt) : null;
    if (!args.get(pattern).isConstant()
        || !args.get(pattern).getConstant().isString()
        || (flags != null && (!flags.isConstant() || !flags.getConstant().isString()))) {
      return;
    }
    Re2Regex.refusal(
            args.get(pattern).getConstant().getString(),
            flags == null ? "" : flags.getConstant().getString())
        .ifPresent(
            why -> {
              throw new ProblemException(
                  ProblemType.BAD_REQUEST,
                  "The query uses a regular expression this endpoint cannot run.",
                  List.of(new FieldError("query", why)));
            });
  }

  private static boolean isUpdate(String text) {
    try {
      UpdateFactory.create(text);
      return true;
    } catch (RuntimeException notAnUpdate) {
      return false;
    }
  }
}
