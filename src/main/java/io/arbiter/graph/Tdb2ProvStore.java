package io.arbiter.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.sparql.core.DatasetDescription;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DynamicDatasets;
import org.apache.jena.sparql.exec.http.Service;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.TDB2;
import org.apache.jena.tdb2.sys.TDBInternal;

/**
 * Embedded Apache Jena TDB2: the default store, one directory on local disk.
 *
 * <p>TDB2 allows one writer and many readers, each in its own transaction; Arbiter has a single
 * writer anyway ({@link EventWriter}). The union default graph is switched on for every query so
 * auditors write plain SPARQL without {@code GRAPH} clauses.
 */
public final class Tdb2ProvStore implements ProvStore {

  private static final Logger LOG = Logger.getLogger(Tdb2ProvStore.class.getName());
  private static final Query MAX_SEQUENCE =
      Sparql.prepare("SELECT (MAX(?seq) AS ?max) WHERE { GRAPH ?g { ?g arb:sequence ?seq } }")
          .asQuery();
  private static final Query ASK_ANY = QueryFactory.create("ASK { }");

  private final DatasetGraph dsg;
  private final Dataset dataset;
  private final Path location;

  private Tdb2ProvStore(Path location, DatasetGraph dsg) {
    this.location = location;
    this.dsg = dsg;
    this.dataset = DatasetFactory.wrap(dsg);
    dsg.getContext().set(TDB2.symUnionDefaultGraph, true);
    // No query may make this server fetch other URLs (SERVICE): auditors' SPARQL runs here.
    dsg.getContext().set(Service.httpServiceAllowed, false);
  }

  /** Opens (creating if needed) the TDB2 database in {@code directory}. */
  public static Tdb2ProvStore open(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the TDB2 directory " + directory, e);
    }
    return new Tdb2ProvStore(directory, DatabaseMgr.connectDatasetGraph(directory.toString()));
  }

  @Override
  public long nextSequence() {
    return query(
        MAX_SEQUENCE,
        Duration.ofMinutes(10),
        execution -> {
          var results = execution.execSelect();
          if (!results.hasNext()) {
            return 0L;
          }
          var max = results.next().getLiteral("max");
          return max == null ? 0L : max.getLong() + 1;
        });
  }

  @Override
  public void append(List<Bundle> bundles) {
    Txn.executeWrite(
        dsg,
        () -> {
          for (Bundle bundle : bundles) {
            Node name = NodeFactory.createURI(bundle.iri());
            if (dsg.containsGraph(name)) {
              throw new IllegalStateException("bundle " + bundle.iri() + " exists already");
            }
            bundle
                .triples()
                .find()
                .forEachRemaining(
                    t -> dsg.add(name, t.getSubject(), t.getPredicate(), t.getObject()));
          }
        });
  }

  @Override
  public <T> T query(Query query, Duration timeout, Function<QueryExecution, T> reader) {
    return Txn.calculateRead(
        dsg,
        () -> {
          Query plain = query;
          Dataset target = dataset;
          if (query.hasDatasetDescription()) {
            // FROM / FROM NAMED pick graphs of this store (never URLs to fetch): the default graph
            // is
            // then the merge of the FROM graphs, not the union of all bundles.
            target =
                DatasetFactory.wrap(
                    DynamicDatasets.dynamicDataset(DatasetDescription.create(query), dsg, false));
            plain = query.cloneQuery();
            plain.getGraphURIs().clear();
            plain.getNamedGraphURIs().clear();
          }
          try (QueryExecution execution =
              QueryExecution.dataset(target)
                  .query(plain)
                  .set(TDB2.symUnionDefaultGraph, !query.hasDatasetDescription())
                  .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                  .build()) {
            return reader.apply(execution);
          }
        });
  }

  @Override
  public Optional<Graph> graph(String iri) {
    Node name = NodeFactory.createURI(iri);
    return Txn.calculateRead(
        dsg,
        () -> {
          if (!dsg.containsGraph(name)) {
            return Optional.empty();
          }
          Graph copy = GraphFactory.createDefaultGraph();
          dsg.getGraph(name).find().forEachRemaining(copy::add);
          return Optional.of(copy);
        });
  }

  @Override
  public boolean isHealthy() {
    try {
      return query(ASK_ANY, Duration.ofSeconds(5), QueryExecution::execAsk);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "TDB2 store at " + location + " failed a health read", e);
      return false;
    }
  }

  @Override
  public void close() {
    // Releases the files, so a redeploy in the same JVM can open the database again.
    TDBInternal.expel(dsg);
  }
}
