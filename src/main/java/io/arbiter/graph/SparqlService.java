package io.arbiter.graph;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.time.Duration;
import java.util.List;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryException;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.ResultSetFactory;
import org.apache.jena.query.ResultSetRewindable;
import org.apache.jena.query.Syntax;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.sparql.algebra.Algebra;
import org.apache.jena.sparql.algebra.OpVisitorBase;
import org.apache.jena.sparql.algebra.OpWalker;
import org.apache.jena.sparql.algebra.op.OpService;
import org.apache.jena.update.UpdateFactory;

/**
 * Read-only SPARQL for auditors over the union of all bundles: parses, refuses updates and
 * federation, caps results, and cancels queries that run past the timeout. Results are materialised
 * (bounded by the cap) before anything is sent, so a timeout becomes a clean problem response
 * rather than a truncated body.
 */
public final class SparqlService {

  /** A query's result: a table (SELECT), a boolean (ASK) or a graph (CONSTRUCT, DESCRIBE). */
  public sealed interface Result permits Table, Bool, GraphResult {}

  /**
   * @param capped whether the cap cut the result short
   */
  public record Table(ResultSetRewindable rows, boolean capped) implements Result {}

  public record Bool(boolean value) implements Result {}

  public record GraphResult(Model model, boolean capped) implements Result {}

  private final ProvStore store;
  private final Duration timeout;
  private final long resultCap;

  public SparqlService(ProvStore store, Duration timeout, long resultCap) {
    this.store = store;
    this.timeout = timeout;
    this.resultCap = resultCap;
  }

  public Duration timeout() {
    return timeout;
  }

  public long resultCap() {
    return resultCap;
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
          ProblemType.SPARQL_SYNTAX, "Syntax error: " + firstLine(e.getMessage()));
    } catch (QueryException e) {
      throw new ProblemException(
          ProblemType.SPARQL_SYNTAX, "The query is not valid SPARQL: " + firstLine(e.getMessage()));
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

  /** Runs a parsed query within the timeout and cap. */
  public Result execute(Query query) {
    boolean capped = query.isSelectType() || query.isConstructType() || query.isDescribeType();
    long askedLimit = query.hasLimit() ? query.getLimit() : Long.MAX_VALUE;
    boolean capApplies = capped && askedLimit > resultCap;
    if (capApplies) {
      query = query.cloneQuery();
      query.setLimit(resultCap);
    }
    try {
      return store.query(
          query,
          timeout,
          execution -> {
            if (execution.getQuery().isSelectType()) {
              ResultSetRewindable rows = ResultSetFactory.copyResults(execution.execSelect());
              return new Table(rows, capApplies && rows.size() >= resultCap);
            }
            if (execution.getQuery().isAskType()) {
              return new Bool(execution.execAsk());
            }
            Model model =
                execution.getQuery().isConstructType()
                    ? execution.execConstruct()
                    : execution.execDescribe();
            return new GraphResult(model, capApplies);
          });
    } catch (QueryCancelledException e) {
      throw new ProblemException(
          ProblemType.QUERY_TIMEOUT,
          "The query ran longer than "
              + timeout.toMillis()
              + " ms and was cancelled. Narrow it, or "
              + "start property paths from a known node.");
    }
  }

  private static void refuseFederation(Query query) {
    // The store's context also forbids SERVICE; this check gives the client a clear answer.
    OpWalker.walk(
        Algebra.compile(query),
        new OpVisitorBase() {
          @Override
          public void visit(OpService service) {
            throw new ProblemException(
                ProblemType.BAD_REQUEST,
                "SERVICE (federated query) is not allowed: this endpoint queries Arbiter's graph only.");
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

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
