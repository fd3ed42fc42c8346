package io.arbiter.graph.store;

import io.arbiter.graph.prov.Sparql;
import io.arbiter.graph.prov.Vocab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
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

  /** The review tasks of a decision, as the store holds them. */
  private static final String TASKS_OF_DECISION =
      "SELECT DISTINCT ?task WHERE { ?task arb:reviewOf ?subject }";

  private final ProjectionReads store;

  /**
   * @param store the graph as it stands, and the journal for what it does not hold yet: a
   *     decision's provenance answers at once after it is recorded
   */
  public ProvenanceReader(ProjectionReads store) {
    this.store = store;
  }

  /** The bundles whose events are about {@code iri}, as named graphs. Empty if there are none. */
  public Dataset bundlesAbout(String iri) {
    Unprojected.Now pending = store.unprojectedNow(); // before the store is asked
    Dataset bundles = bundles(BUNDLES_ABOUT, iri);
    addUnprojected(bundles, pending.about(iri));
    return bundles;
  }

  /**
   * A decision's whole story: its own bundles (submission, outcome) and every step of its review
   * tasks, down to the reviewed decision that stands.
   */
  public Dataset bundlesAboutDecision(String decisionIri) {
    Unprojected.Now now = store.unprojectedNow(); // before the store is asked
    Dataset bundles = bundles(BUNDLES_ABOUT_DECISION, decisionIri);
    List<String> pending = new ArrayList<>(now.about(decisionIri));
    if (!now.isEmpty()) {
      // Tasks the store knows and tasks whose creating event it does not hold yet alike.
      Set<String> tasks = new LinkedHashSet<>(tasksOf(decisionIri));
      for (String name : pending) {
        store
            .graph(name)
            .ifPresent(
                g ->
                    g.find(Node.ANY, Vocab.reviewOf.asNode(), NodeFactory.createURI(decisionIri))
                        .forEachRemaining(t -> tasks.add(t.getSubject().getURI())));
      }
      tasks.forEach(task -> pending.addAll(now.about(task)));
    }
    addUnprojected(bundles, pending);
    return bundles;
  }

  private List<String> tasksOf(String decisionIri) {
    ParameterizedSparqlString query = Sparql.prepare(TASKS_OF_DECISION);
    query.setIri("subject", decisionIri);
    List<String> tasks = new ArrayList<>();
    store.query(
        query.asQuery(),
        TIMEOUT,
        execution -> {
          execution
              .execSelect()
              .forEachRemaining(row -> tasks.add(row.getResource("task").getURI()));
          return null;
        });
    return tasks;
  }

  /** Adds bundles the store does not hold yet, read from the journal. */
  private void addUnprojected(Dataset bundles, List<String> names) {
    for (String name : names) {
      if (!bundles.containsNamedModel(name)) {
        store
            .fromJournal(name)
            .or(() -> store.graph(name))
            .ifPresent(g -> bundles.addNamedModel(name, ModelFactory.createModelForGraph(g)));
      }
    }
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

  /**
   * The bundles of {@code dataset} attributed ({@code prov:wasAttributedTo}) to one of {@code
   * agentIris}, each whole, so that its digest still verifies against its ledger entry.
   */
  public static Dataset attributedTo(Dataset dataset, Set<String> agentIris) {
    Dataset kept = DatasetFactory.create();
    dataset
        .listModelNames()
        .forEachRemaining(
            name -> {
              Model bundle = dataset.getNamedModel(name);
              boolean ours =
                  bundle
                      .listObjectsOfProperty(name, Vocab.Prov.wasAttributedTo)
                      .filterKeep(agent -> agent.isURIResource())
                      .filterKeep(agent -> agentIris.contains(agent.asResource().getURI()))
                      .hasNext();
              if (ours) {
                kept.addNamedModel(name, bundle);
              }
            });
    return kept;
  }

  /** All triples of a dataset's named graphs, merged. */
  public static Model merged(Dataset dataset) {
    Model union = ModelFactory.createDefaultModel();
    dataset.listModelNames().forEachRemaining(name -> union.add(dataset.getNamedModel(name)));
    return union;
  }
}
