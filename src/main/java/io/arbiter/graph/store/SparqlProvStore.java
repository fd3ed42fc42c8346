package io.arbiter.graph.store;

import io.arbiter.event.IriScheme;
import io.arbiter.journal.JournalRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.jena.atlas.web.HttpException;
import org.apache.jena.graph.Graph;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.sparql.exec.http.GSP;
import org.apache.jena.sparql.exec.http.QueryExecutionHTTP;
import org.apache.jena.sparql.exec.http.UpdateExecutionHTTP;
import org.apache.jena.update.UpdateRequest;

/**
 * A SPARQL 1.1 server over HTTP — Apache Jena Fuseki, or any server of the SPARQL 1.1 Protocol and
 * Graph Store Protocol — as Arbiter's store.
 *
 * <p>What the server must provide: (1) one update request runs in one transaction, all or nothing
 * (Fuseki does so for TDB2 and in-memory datasets); (2) the default graph is the union of the named
 * graphs (Fuseki: a TDB2 dataset with {@code tdb2:unionDefaultGraph true}) — checked when the store
 * is opened; (3) the GSP endpoint answers {@code 404} for a graph that does not exist. The server's
 * dataset is Arbiter's alone: nothing else may write to it.
 *
 * <p>Each call is its own HTTP request and its own server transaction; there is no read transaction
 * spanning requests, so {@link #read} reads each call afresh (bundles never change, so reading one
 * later is reading it then; queries may see later records).
 */
public final class SparqlProvStore implements ProvStore {

  private static final Logger LOG = Logger.getLogger(SparqlProvStore.class.getName());

  /** Where the server answers: query, update and Graph Store Protocol endpoints. */
  public record Endpoints(String query, String update, String gsp) {
    public Endpoints {
      requireHttp("query", query);
      requireHttp("update", update);
      requireHttp("gsp", gsp);
    }

    private static void requireHttp(String which, String url) {
      URI uri;
      try {
        uri = url == null ? null : URI.create(url.strip());
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null
          || uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalStateException(
            "arbiter.store.sparql." + which + " must be an http(s) URL, not " + url);
      }
    }
  }

  /** HTTP basic authentication, sent with every request (use https beyond loopback). */
  public record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[" + user + ", password hidden]";
    }
  }

  private static final Query ASK_ANY = QueryFactory.create("ASK { }");
  private static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(2);

  private final Endpoints endpoints;
  private final Map<String, String> headers;
  private final HttpClient http;
  private final LedgerGraph ledger;
  private final ScheduledExecutorService deadlines;

  private SparqlProvStore(Endpoints endpoints, Optional<Credentials> credentials, IriScheme iris) {
    this.endpoints = endpoints;
    this.headers =
        credentials
            .map(
                c ->
                    Map.of(
                        "Authorization",
                        "Basic "
                            + Base64.getEncoder()
                                .encodeToString(
                                    (c.user() + ":" + c.password())
                                        .getBytes(StandardCharsets.UTF_8))))
            .orElse(Map.of());
    // HTTP/1.1: Java's client would otherwise try an h2c upgrade on every plain-http request.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.ledger = new LedgerGraph(iris);
    this.deadlines =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "arbiter-sparql-deadlines");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Connects to the server and checks that its default graph is the union of its named graphs (with
   * one update request that leaves nothing behind), so that Arbiter's queries and auditors' plain
   * SPARQL read what they would read in the embedded store.
   *
   * @throws IllegalStateException if the server cannot be reached or its dataset does not qualify
   */
  public static SparqlProvStore connect(
      Endpoints endpoints, Optional<Credentials> credentials, IriScheme iris) {
    SparqlProvStore store = new SparqlProvStore(endpoints, credentials, iris);
    try {
      store.requireUnionDefaultGraph();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  private void requireUnionDefaultGraph() {
    try {
      update(SparqlRequests.unionProbe());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the SPARQL store at "
              + endpoints.update()
              + " failed the start-up check: it must accept updates, and its default graph must be"
              + " the union of its named graphs (Fuseki: a TDB2 dataset with"
              + " tdb2:unionDefaultGraph true; see docs/configuration.md)",
          e);
    }
  }

  @Override
  public long projected() {
    return query(ledger.projectedQuery(), Duration.ofSeconds(30), LedgerGraph::projected);
  }

  /**
   * One update request, so one server transaction ({@link SparqlRequests#project}): a guard that
   * fails the whole request unless the store holds exactly the records before these, then the new
   * bundles, their places in the ledger and the new watermark. After an unclear failure (a timeout
   * of a request the server went on to apply), the projector reads the watermark again.
   */
  @Override
  public void project(List<JournalRecord> records) {
    if (!records.isEmpty()) {
      update(SparqlRequests.project(records, ledger));
    }
  }

  private void update(UpdateRequest request) {
    UpdateExecutionHTTP.service(endpoints.update())
        .update(request)
        .httpClient(http)
        .httpHeaders(headers)
        .timeout(UPDATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .build()
        .execute();
  }

  /**
   * Sends the query as it is: the server's default graph is the union of the bundles, and FROM /
   * FROM NAMED pick graphs of its dataset (Fuseki never fetches them). The timeout is enforced
   * twice: the server is asked to stop ({@code timeout}, in whole seconds as Fuseki reads it, so
   * rounded up), and the request is aborted here when it passes, whatever the server does.
   */
  @Override
  public <T> T query(Query query, Duration timeout, Function<QueryExecution, T> reader) {
    QueryExecution execution =
        QueryExecutionHTTP.create()
            .endpoint(endpoints.query())
            .query(query)
            .httpClient(http)
            .httpHeaders(headers)
            .param("timeout", Long.toString(wholeSeconds(timeout)))
            .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .build();
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> {
              expired.set(true);
              execution.abort();
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    try (execution) {
      return reader.apply(execution);
    } catch (RuntimeException e) {
      if (expired.get() || timedOut(e)) {
        QueryCancelledException cancelled = new QueryCancelledException();
        cancelled.addSuppressed(e);
        throw cancelled;
      }
      throw e;
    } finally {
      deadline.cancel(false);
    }
  }

  private static long wholeSeconds(Duration timeout) {
    return Math.max(1, (timeout.toMillis() + 999) / 1000);
  }

  /** The client's own timeout, or the server's answer that it stopped the query (Fuseki: 503). */
  private static boolean timedOut(RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof QueryCancelledException || cause instanceof HttpTimeoutException) {
        return true;
      }
      if (cause instanceof HttpException http && http.getStatusCode() == 503) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Optional<Graph> graph(String iri) {
    try {
      GSP request =
          GSP.service(endpoints.gsp())
              .httpClient(http)
              .acceptHeader("application/n-triples")
              .graphName(iri);
      headers.forEach(request::httpHeader);
      Graph graph = request.GET();
      // As in TDB2, a graph exists while it has a triple.
      return graph.isEmpty() ? Optional.empty() : Optional.of(graph);
    } catch (HttpException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Not on local disk. */
  @Override
  public long diskBytes() {
    return 0;
  }

  /** The server manages its own storage (Fuseki: compact TDB2 through its admin API). */
  @Override
  public Optional<StoreCompaction> beginCompaction() {
    return Optional.empty();
  }

  @Override
  public boolean isHealthy() {
    try {
      return query(ASK_ANY, Duration.ofSeconds(5), QueryExecution::execAsk);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "SPARQL store at " + endpoints.query() + " failed a health read", e);
      return false;
    }
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
  }

  @Override
  public String toString() {
    return "SPARQL store at " + endpoints.query();
  }
}
