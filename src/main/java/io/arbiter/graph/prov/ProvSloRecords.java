package io.arbiter.graph.prov;

import io.arbiter.event.IriScheme;
import io.arbiter.slo.SloRecords;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Reads the objectives' breaches under way back from the graph. */
public final class ProvSloRecords implements SloRecords {

  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  private static final String OPEN_BREACHES =
      """
      SELECT ?breach ?objectiveId WHERE {
        ?breach a arb:SloBreach ; arb:objective ?objective ; prov:startedAtTime ?began .
        ?objective dcterms:identifier ?objectiveId .
        FILTER NOT EXISTS { ?breach prov:endedAtTime ?ended }
      }""";

  private final GraphReads store;
  private final IriScheme iris;

  public ProvSloRecords(GraphReads store, IriScheme iris) {
    this.store = store;
    this.iris = iris;
  }

  @Override
  public Map<String, String> openBreaches() {
    return store.query(
        Sparql.prepare(OPEN_BREACHES).asQuery(),
        TIMEOUT,
        execution -> {
          Map<String, String> open = new HashMap<>();
          execution
              .execSelect()
              .forEachRemaining(
                  row ->
                      iris.parseSloBreach(row.getResource("breach").getURI())
                          .ifPresent(
                              id -> open.put(row.getLiteral("objectiveId").getLexicalForm(), id)));
          return open;
        });
  }
}
