package io.arbiter.graph.prov;

import io.arbiter.event.IriScheme;
import io.arbiter.replay.PolicyOutcomes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QuerySolution;

/** Shadow agreement and rule coverage, each one SPARQL query over the decision bundles. */
public final class ProvPolicyOutcomes implements PolicyOutcomes {

  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private static final String SHADOW_OUTCOMES =
      """
      SELECT ?id ?at ?route ?rule ?shadowRoute ?shadowRule WHERE {
        ?decision arb:shadowRoutedBy ?shadow ; dcterms:identifier ?id ; arb:submittedAt ?at ;
                  arb:routedBy ?routing .
        ?shadow prov:qualifiedAssociation/prov:hadPlan ?plan ; arb:route ?shadowRoute .
        ?routing arb:route ?route .
        OPTIONAL { ?routing arb:matchedRule|arb:failedRule ?r . ?r dcterms:identifier ?rule }
        OPTIONAL { ?shadow arb:matchedRule|arb:failedRule ?s . ?s dcterms:identifier ?shadowRule }
      }
      ORDER BY DESC(?at) DESC(?id)""";

  private final GraphReads store;
  private final IriScheme iris;

  public ProvPolicyOutcomes(GraphReads store, IriScheme iris) {
    this.store = store;
    this.iris = iris;
  }

  @Override
  public void forEachShadowOutcome(String policyId, String version, Consumer<ShadowOutcome> sink) {
    ParameterizedSparqlString query = Sparql.prepare(SHADOW_OUTCOMES);
    query.setIri("plan", iris.policyVersion(policyId, version));
    store.query(
        query.asQuery(),
        TIMEOUT,
        execution -> {
          execution
              .execSelect()
              .forEachRemaining(
                  row ->
                      sink.accept(
                          new ShadowOutcome(
                              row.getLiteral("id").getLexicalForm(),
                              Instant.parse(row.getLiteral("at").getLexicalForm()),
                              ProvDecisionRecords.route(row.get("route")),
                              optional(row, "rule"),
                              ProvDecisionRecords.route(row.get("shadowRoute")),
                              optional(row, "shadowRule"))));
          return null;
        });
  }

  private static Optional<String> optional(QuerySolution row, String variable) {
    return Optional.ofNullable(row.getLiteral(variable)).map(l -> l.getLexicalForm());
  }
}
