package io.arbiter.graph;

import io.arbiter.event.IriScheme;
import io.arbiter.policy.PolicyRecords;
import io.arbiter.registry.ModelRecords;
import io.arbiter.registry.ModelVersionRef;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.jena.query.ParameterizedSparqlString;

/** Reads registered model versions and recorded policy versions back from the graph. */
public final class ProvRegistryRecords implements ModelRecords, PolicyRecords {

  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  private static final String MODEL_VERSIONS =
      """
      SELECT ?name ?version WHERE {
        ?mv a arb:ModelVersion ; dcat:version ?version ; dcterms:isVersionOf ?model .
        ?model dcterms:identifier ?name .
      }""";
  private static final String POLICY_HASH =
      """
      SELECT ?hash WHERE { ?version a arb:PolicyVersion ; arb:contentHash ?hash }""";

  private final ProvStore store;
  private final IriScheme iris;

  public ProvRegistryRecords(ProvStore store, IriScheme iris) {
    this.store = store;
    this.iris = iris;
  }

  @Override
  public Set<ModelVersionRef> registeredVersions() {
    return store.query(
        Sparql.prepare(MODEL_VERSIONS).asQuery(),
        TIMEOUT,
        execution -> {
          Set<ModelVersionRef> versions = new HashSet<>();
          execution
              .execSelect()
              .forEachRemaining(
                  row ->
                      versions.add(
                          new ModelVersionRef(
                              row.getLiteral("name").getLexicalForm(),
                              row.getLiteral("version").getLexicalForm())));
          return versions;
        });
  }

  @Override
  public Optional<String> contentHash(String policyId, String version) {
    ParameterizedSparqlString query = Sparql.prepare(POLICY_HASH);
    query.setIri("version", iris.policyVersion(policyId, version));
    return store.query(
        query.asQuery(),
        TIMEOUT,
        execution -> {
          var rows = execution.execSelect();
          return rows.hasNext()
              ? Optional.of(rows.next().getLiteral("hash").getLexicalForm())
              : Optional.empty();
        });
  }
}
