package io.arbiter.graph.api;

import java.util.Locale;

/**
 * Hears every query the auditors' SPARQL endpoint ran ({@link SparqlService#execute}): its form,
 * how it ended and how long it took, from the start of execution to a materialised result (parsing
 * and writing the response are not included). Called on the request thread after the query ran, so
 * it must be quick and cannot change the query's result.
 */
@FunctionalInterface
public interface QueryListener {

  void queried(Form form, Outcome outcome, long nanos);

  /** The SPARQL query forms; Jena's ARQ-only JSON form counts as {@code OTHER}. */
  enum Form {
    SELECT,
    ASK,
    CONSTRUCT,
    DESCRIBE,
    OTHER;

    /** The lower-case name, as a metric tag spells it. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How a query ended: answered, cancelled at the timeout, or failed in the store. */
  enum Outcome {
    OK,
    TIMEOUT,
    FAILED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
