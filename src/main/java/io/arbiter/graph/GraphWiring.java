package io.arbiter.graph;

import io.arbiter.config.DataDirectory;
import io.arbiter.config.StartupOrder;
import io.arbiter.decision.DecisionRecords;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.graph.api.AuditQueryRunner;
import io.arbiter.graph.api.GraphHealth;
import io.arbiter.graph.api.SparqlService;
import io.arbiter.graph.prov.DatasetImpact;
import io.arbiter.graph.prov.GraphReads;
import io.arbiter.graph.prov.Lineage;
import io.arbiter.graph.prov.ProvDecisionRecords;
import io.arbiter.graph.prov.ProvDriftRecords;
import io.arbiter.graph.prov.ProvPolicyOutcomes;
import io.arbiter.graph.prov.ProvRegistryRecords;
import io.arbiter.graph.prov.ProvReviewRecords;
import io.arbiter.graph.prov.ProvSloRecords;
import io.arbiter.graph.prov.Sparql;
import io.arbiter.graph.store.CompactionPolicy;
import io.arbiter.graph.store.GraphRuntime;
import io.arbiter.graph.store.IntakeBounds;
import io.arbiter.graph.store.ProjectionReads;
import io.arbiter.graph.store.Projector;
import io.arbiter.graph.store.ProvStore;
import io.arbiter.graph.store.ProvenanceReader;
import io.arbiter.graph.store.SparqlProvStore;
import io.arbiter.graph.store.Tdb2ProvStore;
import io.arbiter.journal.FileJournal;
import io.arbiter.ledger.LedgerEntries;
import io.arbiter.ledger.MerkleTree;
import io.arbiter.replay.PolicyOutcomes;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.apache.jena.atlas.lib.AlarmClock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the graph store, the event writer and the graph-backed read ports from configuration. */
@ApplicationScoped
public class GraphWiring {

  private static final Logger LOG = Logger.getLogger(GraphWiring.class.getName());

  /**
   * The journal's sequencer and the projector run on plain daemon threads, not ManagedThreadFactory
   * ones: a managed thread waits for the application to finish starting before it runs, and
   * start-up itself waits for the journal (seed models and policies are recorded then), which
   * deadlocks. Neither needs container context.
   */
  private static Thread writerThread(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * From the start of intake on, decisions are refused while they could not be recorded or proved.
   */
  static void gateIntake(
      @Observes @Priority(StartupOrder.NOTIFY) @Initialized(ApplicationScoped.class) Object event,
      io.arbiter.decision.DecisionService decisions,
      GraphRuntime runtime,
      io.arbiter.ledger.CheckpointPublisher publisher,
      IntakeBounds bounds,
      @ConfigProperty(name = "arbiter.intake.concurrency") int concurrency,
      @ConfigProperty(name = "arbiter.intake.soft-lag") Duration softLag,
      @ConfigProperty(name = "arbiter.intake.max-admission-wait") Duration maxWait) {
    decisions.readiness(() -> GraphHealth.intakeRefusal(runtime, publisher, bounds));
    positive("arbiter.intake.concurrency", concurrency);
    decisions.admission(
        new io.arbiter.decision.IntakeAdmission(
            concurrency, softLag.toMillis(), () -> runtime.projector().lag().toMillis(), maxWait));
  }

  @Produces
  @Singleton
  IntakeBounds intakeBounds(
      @ConfigProperty(name = "arbiter.intake.max-lag-events") long maxLagEvents,
      @ConfigProperty(name = "arbiter.intake.max-lag") Duration maxLag,
      @ConfigProperty(name = "arbiter.intake.max-journal-bytes") long maxJournalBytes) {
    try {
      return new IntakeBounds(maxLagEvents, maxLag, maxJournalBytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "arbiter.intake.max-lag-events, max-lag and max-journal-bytes must be positive", e);
    }
  }

  /** Opens the store first of all, so later start-up steps find the ledger tree rebuilt. */
  static void start(
      @Observes @Priority(StartupOrder.STORE) @Initialized(ApplicationScoped.class) Object event,
      GraphRuntime runtime) {
    LOG.fine(() -> "graph store open at sequence " + runtime.tree().size());
  }

  @Produces
  @Singleton
  GraphRuntime runtime(
      @DataDirectory Path dataDirectory,
      IriScheme iris,
      MerkleTree tree,
      @ConfigProperty(name = "arbiter.store") String kind,
      @ConfigProperty(name = "arbiter.store.sparql.query") Optional<String> queryUrl,
      @ConfigProperty(name = "arbiter.store.sparql.update") Optional<String> updateUrl,
      @ConfigProperty(name = "arbiter.store.sparql.gsp") Optional<String> gspUrl,
      @ConfigProperty(name = "arbiter.store.sparql.user") Optional<String> user,
      @ConfigProperty(name = "arbiter.store.sparql.password") Optional<String> password,
      @ConfigProperty(name = "arbiter.journal.segment-bytes") long segmentBytes,
      @ConfigProperty(name = "arbiter.journal.batch-max") int batchMax,
      @ConfigProperty(name = "arbiter.journal.queue-capacity") int queueCapacity,
      @ConfigProperty(name = "arbiter.journal.compress-sealed") boolean compressSealed,
      @ConfigProperty(name = "arbiter.projection.batch-max") int projectionBatch,
      @ConfigProperty(name = "arbiter.projection.batch-max-bytes") long projectionBytes,
      @ConfigProperty(name = "arbiter.projection.max-backoff") Duration maxBackoff,
      @ConfigProperty(name = "arbiter.projection.read-your-writes") Duration readYourWrites,
      @ConfigProperty(name = "arbiter.graph.compaction.check-every-commits") int compactionCheck,
      @ConfigProperty(name = "arbiter.graph.compaction.min-bytes") long compactionMinBytes,
      @ConfigProperty(name = "arbiter.graph.compaction.factor") double compactionFactor,
      @ConfigProperty(name = "arbiter.graph.quad-indexes") List<String> quadIndexes) {
    positive("arbiter.journal.segment-bytes", segmentBytes);
    positive("arbiter.journal.batch-max", batchMax);
    positive("arbiter.journal.queue-capacity", queueCapacity);
    positive("arbiter.projection.batch-max", projectionBatch);
    positive("arbiter.projection.batch-max-bytes", projectionBytes);
    GraphRuntime.Settings settings;
    try {
      settings =
          new GraphRuntime.Settings(
              new FileJournal.Settings(segmentBytes, batchMax, queueCapacity, compressSealed),
              new Projector.Settings(projectionBatch, projectionBytes, maxBackoff),
              new CompactionPolicy(compactionCheck, compactionMinBytes, compactionFactor),
              readYourWrites);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "the journal or projection settings are not valid: " + e.getMessage(), e);
    }
    ProvStore store =
        switch (kind) {
          case "tdb2" ->
              Tdb2ProvStore.open(dataDirectory.resolve("tdb2"), iris, quadIndexes(quadIndexes));
          case "sparql" ->
              SparqlProvStore.connect(
                  new SparqlProvStore.Endpoints(
                      required("arbiter.store.sparql.query", queryUrl),
                      required("arbiter.store.sparql.update", updateUrl),
                      required("arbiter.store.sparql.gsp", gspUrl)),
                  credentials(user, password),
                  iris);
          default ->
              throw new IllegalStateException(
                  "arbiter.store="
                      + kind
                      + " is not supported; use tdb2 (embedded) or sparql (a SPARQL 1.1 server)");
        };
    try {
      requireSameBase(store, iris);
      GraphRuntime runtime =
          GraphRuntime.open(
              dataDirectory.resolve("journal"),
              store,
              iris,
              tree,
              settings,
              GraphWiring::writerThread);
      LOG.info(
          () ->
              "Arbiter journal at "
                  + dataDirectory.resolve("journal")
                  + " ("
                  + runtime.journal().size()
                  + " events), graph store: "
                  + store
                  + ", base IRI "
                  + iris.base());
      return runtime;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  void close(@Disposes GraphRuntime runtime) {
    runtime.close();
    // Jena's query timeouts run on one static AlarmClock thread per class loader; left running, it
    // holds this application's class loader (and every class and static in it) after undeploy, so
    // each redeployment leaked a whole application (found by counting class loaders in the test
    // server, which redeploys once per IT class). Nothing queries once the store is closed.
    AlarmClock.get().release();
  }

  /** What the services' record readers read: the graph, and the journal where it lags. */
  @Produces
  GraphReads reads(GraphRuntime runtime) {
    return runtime.reads();
  }

  /**
   * What the graph API reads: the projection as it stands, which each answer states. Typed as
   * itself only, so that a plain {@link GraphReads} injection point means the services' reads.
   */
  @Produces
  @jakarta.enterprise.inject.Typed(ProjectionReads.class)
  ProjectionReads currentReads(GraphRuntime runtime) {
    return runtime.currentReads();
  }

  @Produces
  EventLog eventLog(GraphRuntime runtime) {
    return runtime.events();
  }

  @Produces
  @Singleton
  Lineage lineage(ProjectionReads store, IriScheme iris) {
    return new Lineage(store, iris);
  }

  @Produces
  @Singleton
  DatasetImpact datasetImpact(GraphReads store) {
    return new DatasetImpact(store);
  }

  @Produces
  @Singleton
  ProvRegistryRecords registryRecords(GraphReads store, IriScheme iris) {
    return new ProvRegistryRecords(store, iris);
  }

  @Produces
  @Singleton
  LedgerEntries ledgerEntries(GraphRuntime runtime) {
    return runtime.entries();
  }

  @Produces
  @Singleton
  ProvenanceReader provenance(ProjectionReads store) {
    return new ProvenanceReader(store);
  }

  @Produces
  @Singleton
  SparqlService sparql(
      ProjectionReads store,
      @ConfigProperty(name = "arbiter.sparql.timeout-ms") long timeoutMs,
      @ConfigProperty(name = "arbiter.sparql.result-cap") long resultCap,
      @ConfigProperty(name = "arbiter.sparql.max-result-bytes") long maxResultBytes,
      @ConfigProperty(name = "arbiter.sparql.max-triples") long maxTriples,
      @ConfigProperty(name = "arbiter.sparql.max-string-chars") int maxStringChars,
      @ConfigProperty(name = "arbiter.sparql.max-concurrent-per-caller") int perCaller,
      @ConfigProperty(name = "arbiter.sparql.max-concurrent") int total) {
    positive("arbiter.sparql.timeout-ms", timeoutMs);
    positive("arbiter.sparql.result-cap", resultCap);
    positive("arbiter.sparql.max-result-bytes", maxResultBytes);
    positive("arbiter.sparql.max-triples", maxTriples);
    positive("arbiter.sparql.max-string-chars", maxStringChars);
    positive("arbiter.sparql.max-concurrent-per-caller", perCaller);
    positive("arbiter.sparql.max-concurrent", total);
    return new SparqlService(
        store,
        new SparqlService.Limits(
            Duration.ofMillis(timeoutMs),
            resultCap,
            maxResultBytes,
            maxTriples,
            maxStringChars,
            perCaller,
            total));
  }

  /** Which bundles a caller bound to tenants sees: decisions and tasks looked up in memory. */
  @Produces
  @Singleton
  io.arbiter.graph.api.TenantBundles tenantBundles(
      IriScheme iris,
      io.arbiter.decision.DecisionService decisions,
      io.arbiter.review.ReviewService reviews) {
    return new io.arbiter.graph.api.TenantBundles(iris, decisions::summary, reviews::decisionOf);
  }

  @Produces
  @Singleton
  AuditQueryRunner auditQueries(SparqlService sparql) {
    return new AuditQueryRunner(sparql);
  }

  @Produces
  @Singleton
  PolicyOutcomes policyOutcomes(GraphReads store, IriScheme iris) {
    return new ProvPolicyOutcomes(store, iris);
  }

  @Produces
  @Singleton
  /**
   * Review tasks and decisions answer at once after they are recorded, whatever the projection's
   * lag: their state is in memory, and a bundle the store lacks is read from the journal. So their
   * readers read the graph as it stands and never wait for the projection (they also run at
   * start-up, after the store caught up with the journal).
   */
  io.arbiter.review.ReviewRecords reviewRecords(ProjectionReads store, IriScheme iris) {
    return new ProvReviewRecords(store, iris);
  }

  @Produces
  @Singleton
  io.arbiter.drift.DriftRecords driftRecords(GraphReads store, IriScheme iris) {
    return new ProvDriftRecords(store, iris);
  }

  @Produces
  @Singleton
  io.arbiter.slo.SloRecords sloRecords(GraphReads store, IriScheme iris) {
    return new ProvSloRecords(store, iris);
  }

  @Produces
  @Singleton
  /** As {@link #reviewRecords}: a decision answers at once, from the journal if need be. */
  DecisionRecords decisionRecords(ProjectionReads store, IriScheme iris) {
    return new ProvDecisionRecords(store, iris);
  }

  private static String required(String key, Optional<String> value) {
    return required(key, value, "arbiter.store=sparql");
  }

  private static String required(String key, Optional<String> value, String when) {
    return value
        .filter(v -> !v.isBlank())
        .orElseThrow(() -> new IllegalStateException(key + " must be set with " + when));
  }

  /** Basic authentication if a user is configured; a user without a password is a mistake. */
  static Optional<SparqlProvStore.Credentials> credentials(
      Optional<String> user, Optional<String> password) {
    Optional<String> name = user.filter(u -> !u.isBlank());
    if (name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new SparqlProvStore.Credentials(
            name.get(),
            required("arbiter.store.sparql.password", password, "arbiter.store.sparql.user")));
  }

  /** Each a permutation of G, S, P and O, as TDB2 names its indexes; GSPO reads one bundle. */
  static List<String> quadIndexes(List<String> configured) {
    List<String> indexes = configured.stream().map(String::strip).toList();
    for (String index : indexes) {
      char[] letters = index.toCharArray();
      java.util.Arrays.sort(letters);
      if (!new String(letters).equals("GOPS")) {
        throw new IllegalStateException(
            "arbiter.graph.quad-indexes: "
                + index
                + " is not a quad index (a permutation of GSPO)");
      }
    }
    if (!indexes.contains("GSPO")) {
      throw new IllegalStateException("arbiter.graph.quad-indexes must include GSPO: " + indexes);
    }
    return indexes;
  }

  /** Fails start-up with the key's name rather than misbehave on a nonsensical setting. */
  static void positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalStateException(key + " must be positive, not " + value);
    }
  }

  private static final String ANY_BUNDLE =
      "SELECT ?bundle WHERE { GRAPH ?bundle { ?bundle a arb:EventBundle } } LIMIT 1";

  /**
   * Refuses to start on a store written under another base IRI: every IRI already recorded would
   * stop resolving, and lookups by IRI would miss. The base is fixed for the life of a store.
   */
  static void requireSameBase(GraphReads store, IriScheme iris) {
    store
        .query(
            Sparql.prepare(ANY_BUNDLE).asQuery(),
            Duration.ofMinutes(1),
            execution -> {
              var rows = execution.execSelect();
              return rows.hasNext()
                  ? java.util.Optional.of(rows.next().getResource("bundle").getURI())
                  : java.util.Optional.<String>empty();
            })
        .filter(recorded -> !recorded.startsWith(iris.base()))
        .ifPresent(
            recorded -> {
              throw new IllegalStateException(
                  "this store was written under another base IRI ("
                      + recorded
                      + "), but arbiter.base-iri is "
                      + iris.base()
                      + ": set arbiter.base-iri (ARBITER_BASE_IRI) back, or use a new data directory");
            });
  }
}
