package io.arbiter.graph;

import java.time.Duration;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;

/**
 * What the graph says about one resource: the bundles of events about it (by {@code
 * arb:eventSubject}), and its concise bounded description across all bundles.
 */
public final class ProvenanceReader {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String BUNDLES_ABOUT =
      """
      SELECT DISTINCT ?bundle WHERE { GRAPH ?bundle { ?bundle arb:eventSubject ?subject } }
      ORDER BY ?bundle""";

  /** A decision's own bundles and those of its review tasks' steps (claims, verdicts, outcome). */
  private static final String BUNDLES_ABOUT_DECISION =
      """
      SELECT DISTINCT ?bundle WHERE {
        { GRAPH ?bundle { ?bundle arb:eventSubject ?subject } }
        UNION
        { ?task arb:reviewOf ?subject . GRAPH ?bundle { ?bundle arb:eventSubject ?task } }
      }
      ORDER BY ?bundle""";

  private final ProvStore store;

  public ProvenanceReader(ProvStore store) {
    this.store = store;
  }

  /** The bundles whose events are about {@code iri}, as named graphs. Empty if there are none. */
  public Dataset bundlesAbout(String iri) {
    return bundles(BUNDLES_ABOUT, iri);
  }

  /**
   * A decision's whole story: its own bundles (submission, outcome) and every step of its review
   * tasks, down to the reviewed decision that stands.
   */
  public Dataset bundlesAboutDecision(String decisionIri) {
    return bundles(BUNDLES_ABOUT_DECISION, decisionIri);
  }

  private Dataset bundles(String text, String iri) {
    ParameterizedSparqlString query = Sparql.prepare(text);
    query.setIri("subject", iri);
    Dataset bundles = DatasetFactory.create();
    store.query(
        query.asQuery(),
        TIMEOUT,
        execution -> {
          execution
              .execSelect()
              .forEachRemaining(
                  row -> {
                    String name = row.getResource("bundle").getURI();
                    store
                        .graph(name)
                        .ifPresent(
                            g -> bundles.addNamedModel(name, ModelFactory.createModelForGraph(g)));
                  });
          return null;
        });
    return bundles;
  }

  /** One bundle as a dataset with that single named graph; empty if it does not exist. */
  public Dataset bundle(String iri) {
    Dataset bundles = DatasetFactory.create();
    store
        .graph(iri)
        .ifPresent(g -> bundles.addNamedModel(iri, ModelFactory.createModelForGraph(g)));
    return bundles;
  }

  /** Triples about {@code iri} from any bundle (its concise bounded description). */
  public Model describe(String iri) {
    ParameterizedSparqlString query = Sparql.prepare("DESCRIBE ?resource");
    query.setIri("resource", iri);
    return store.query(query.asQuery(), TIMEOUT, execution -> execution.execDescribe());
  }

  /** All triples of a dataset's named graphs, merged. */
  public static Model merged(Dataset dataset) {
    Model union = ModelFactory.createDefaultModel();
    dataset.listModelNames().forEachRemaining(name -> union.add(dataset.getNamedModel(name)));
    return union;
  }
}
