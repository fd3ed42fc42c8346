package io.arbiter.graph.prov;

import io.arbiter.event.IriScheme;
import io.arbiter.policy.PolicyRecords;
import io.arbiter.policy.PolicyRegistered;
import io.arbiter.policy.PolicyTransition;
import io.arbiter.policy.PolicyTransitioned;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.registry.RegistryRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.jena.query.QuerySolution;
import org.apache.jena.rdf.model.Literal;

/** Reads registered model versions and recorded policy versions back from the graph. */
public final class ProvRegistryRecords implements RegistryRecords, PolicyRecords {

  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  private static final String MODEL_VERSIONS =
      """
      SELECT ?name ?version WHERE {
        ?mv a arb:ModelVersion ; dcat:version ?version ; dcterms:isVersionOf ?model .
        ?model dcterms:identifier ?name .
      }""";
  private static final String POLICY_HISTORY =
      """
      SELECT ?seq ?type ?subject ?actor ?time ?document ?hash ?previous
             ?transition ?endedActive ?endedShadow ?reason
      WHERE {
        GRAPH ?bundle {
          ?bundle arb:eventType ?type ; arb:eventSubject ?subject ;
                  prov:generatedAtTime ?time ; prov:wasAttributedTo/dcterms:identifier ?actor .
          FILTER(STRSTARTS(?type, "policy."))
          OPTIONAL { ?subject arb:document ?document ; arb:contentHash ?hash }
          OPTIONAL { ?subject prov:wasRevisionOf ?previous }
          OPTIONAL {
            ?step arb:transition ?transition ; prov:used ?subject .
            OPTIONAL { ?step arb:endedActive ?endedActive }
            OPTIONAL { ?step arb:endedShadow ?endedShadow }
            OPTIONAL { ?step arb:reason ?reason }
          }
        }
        # The bundle's place in the log: in the ledger graph (inside legacy bundles).
        ?bundle arb:sequence ?seq .
      }
      ORDER BY ?seq""";

  private static final String REGISTRY_HISTORY =
      """
      SELECT ?seq ?type ?subject ?document ?actor ?time WHERE {
        GRAPH ?bundle {
          ?bundle arb:eventType ?type ; arb:eventSubject ?subject ;
                  prov:generatedAtTime ?time ; prov:wasAttributedTo/dcterms:identifier ?actor .
          FILTER(STRSTARTS(?type, "registry.") || ?type IN ("model.registered", "model.approved"))
          ?holder arb:document ?document .
        }
        ?bundle arb:sequence ?seq .
      }
      ORDER BY ?seq""";

  private final GraphReads store;
  private final IriScheme iris;

  public ProvRegistryRecords(GraphReads store, IriScheme iris) {
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
  public List<RegistryRecords.RecordedEntry> registryHistory() {
    return store.query(
        Sparql.prepare(REGISTRY_HISTORY).asQuery(),
        TIMEOUT,
        execution -> {
          List<RegistryRecords.RecordedEntry> entries = new ArrayList<>();
          execution
              .execSelect()
              .forEachRemaining(
                  row ->
                      entries.add(
                          new RegistryRecords.RecordedEntry(
                              row.getLiteral("seq").getLong(),
                              row.getLiteral("type").getLexicalForm(),
                              row.getResource("subject").getURI(),
                              row.getLiteral("document").getLexicalForm(),
                              row.getLiteral("actor").getLexicalForm(),
                              Instant.parse(row.getLiteral("time").getLexicalForm()))));
          return entries;
        });
  }

  @Override
  public List<Entry> history() {
    return store.query(
        Sparql.prepare(POLICY_HISTORY).asQuery(),
        TIMEOUT,
        execution -> {
          List<Entry> entries = new ArrayList<>();
          execution.execSelect().forEachRemaining(row -> entries.add(entry(row)));
          return entries;
        });
  }

  private Entry entry(QuerySolution row) {
    String subject = row.getResource("subject").getURI();
    IriScheme.PolicyVersionIri ref =
        iris.parsePolicyVersion(subject)
            .orElseThrow(() -> new IllegalStateException("not a policy version IRI: " + subject));
    String type = row.getLiteral("type").getLexicalForm();
    String actor = row.getLiteral("actor").getLexicalForm();
    Instant time = Instant.parse(row.getLiteral("time").getLexicalForm());
    if (PolicyRegistered.TYPE.equals(type)) {
      return new RecordedVersion(
          ref.policyId(),
          ref.version(),
          row.getLiteral("document").getLexicalForm(),
          row.getLiteral("hash").getLexicalForm(),
          actor,
          time,
          version(row, "previous"));
    }
    PolicyTransition transition =
        PolicyTransition.fromEventType(type)
            .orElseThrow(() -> new IllegalStateException("unknown policy event type " + type));
    return new RecordedTransition(
        new PolicyTransitioned(
            ref.policyId(),
            ref.version(),
            transition,
            actor,
            time,
            subject,
            version(row, "endedActive"),
            version(row, "endedShadow"),
            Optional.ofNullable(row.getLiteral("reason")).map(Literal::getLexicalForm)));
  }

  private Optional<String> version(QuerySolution row, String variable) {
    return Optional.ofNullable(row.getResource(variable))
        .flatMap(r -> iris.parsePolicyVersion(r.getURI()))
        .map(IriScheme.PolicyVersionIri::version);
  }
}
