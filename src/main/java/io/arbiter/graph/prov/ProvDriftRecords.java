package io.arbiter.graph.prov;

import io.arbiter.drift.DriftRecords;
import io.arbiter.drift.ReferenceJson;
import io.arbiter.event.IriScheme;
import io.arbiter.registry.ModelVersionRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.jena.query.QuerySolution;

/** Reads reference profiles and raised drift alarms back from the graph. */
public final class ProvDriftRecords implements DriftRecords {

  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  // The last profile recorded for each model version: the one in force (earlier ones are not read).
  private static final String REFERENCES =
      """
      SELECT ?profile ?name ?version ?json WHERE {
        {
          SELECT ?mv (MAX(?seq) AS ?last) WHERE {
            GRAPH ?bundle { ?profile a arb:ReferenceProfile ; arb:referenceFor ?mv . }
            ?bundle arb:sequence ?seq .
          }
          GROUP BY ?mv
        }
        GRAPH ?bundle {
          ?profile a arb:ReferenceProfile ; arb:referenceFor ?mv ; arb:distributions ?json .
        }
        ?bundle arb:sequence ?last .
        ?mv dcat:version ?version ; dcterms:isVersionOf/dcterms:identifier ?name .
      }""";

  private static final String OPEN_ALARMS =
      """
      SELECT ?alarm ?name ?version WHERE {
        ?alarm a arb:DriftAlarm ; arb:monitoredModel ?mv ; prov:startedAtTime ?raised .
        FILTER NOT EXISTS { ?alarm prov:endedAtTime ?cleared }
        ?mv dcat:version ?version ; dcterms:isVersionOf/dcterms:identifier ?name .
      }""";

  private final GraphReads store;
  private final IriScheme iris;

  public ProvDriftRecords(GraphReads store, IriScheme iris) {
    this.store = store;
    this.iris = iris;
  }

  @Override
  public Map<ModelVersionRef, StoredReference> latestReferences() {
    return store.query(
        Sparql.prepare(REFERENCES).asQuery(),
        TIMEOUT,
        execution -> {
          Map<ModelVersionRef, StoredReference> latest = new HashMap<>();
          execution
              .execSelect()
              .forEachRemaining(
                  row -> {
                    ModelVersionRef model = model(row);
                    latest.put(
                        model,
                        new StoredReference(
                            ReferenceJson.read(model, row.getLiteral("json").getLexicalForm()),
                            row.getResource("profile").getURI()));
                  });
          return latest;
        });
  }

  @Override
  public Map<ModelVersionRef, String> openAlarms() {
    return store.query(
        Sparql.prepare(OPEN_ALARMS).asQuery(),
        TIMEOUT,
        execution -> {
          Map<ModelVersionRef, String> open = new HashMap<>();
          execution
              .execSelect()
              .forEachRemaining(
                  row ->
                      iris.parseDriftAlarm(row.getResource("alarm").getURI())
                          .ifPresent(id -> open.put(model(row), id)));
          return open;
        });
  }

  private static ModelVersionRef model(QuerySolution row) {
    return new ModelVersionRef(
        row.getLiteral("name").getLexicalForm(), row.getLiteral("version").getLexicalForm());
  }
}
