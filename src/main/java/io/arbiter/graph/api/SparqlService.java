package io.arbiter.graph.api;

import io.arbiter.graph.api.QueryListener.Form;
import io.arbiter.graph.api.QueryListener.Outcome;
import io.arbiter.graph.prov.GraphReads;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryException;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.ResultSet;
import org.apache.jena.query.ResultSetFactory;
import org.apache.jena.query.ResultSetRewindable;
import org.apache.jena.query.Syntax;
import org.apache.jena.rdf.model.Model;
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
import org.apache.jena.update.UpdateFactory;

/**
 * Read-only SPARQL for auditors over the union of all bundles: parses, refuses updates and
 * federation, caps results, and cancels queries that run past the timeout. Results are materialised
 * (bounded by the cap) before anything is sent, so a timeout becomes a clean problem response
 * rather than a truncated body. {@link #onQueried} listeners hear how long each query ran.
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

  private final GraphReads store;
  private final Duration timeout;
  private final long resultCap;
  private final List<QueryListener> listeners = new CopyOnWriteArrayList<>();

  public SparqlService(GraphReads store, Duration timeout, long resultCap) {
    this.store = store;
    this.timeout = timeout;
    this.resultCap = resultCap;
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
   * Runs a parsed query within the timeout and cap. SELECT asks for one row more than the cap, so a
   * cut result is known to be cut; CONSTRUCT and DESCRIBE are capped in solutions, unflagged.
   */
  public Result execute(Query query) {
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
      Result result = run(query);
      outcome = Outcome.OK;
      return result;
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

  private Result run(Query query) {
    return store.query(
        query,
        timeout,
        execution -> {
          Query running = execution.getQuery();
          if (running.isSelectType()) {
            return table(execution.execSelect());
          }
          if (running.isAskType()) {
            return new Bool(execution.execAsk());
          }
          return new GraphResult(
              running.isConstructType() ? execution.execConstruct() : execution.execDescribe());
        });
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
    while (results.hasNext() && rows.size() <= resultCap) {
      rows.add(results.nextBinding());
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
          }
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
