package io.arbiter.graph.prov;

import io.arbiter.jobs.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.jena.query.QuerySolution;

/**
 * What a bad dataset touched: the dataset versions in question, the model versions trained on them,
 * the policy versions governing those models, and their decisions counted by route and by reviewer
 * and verdict. Answers from the hours' tallies and the verdicts, so a dataset behind 100,000
 * decisions costs a few grouped queries, not a walk over every decision; for a caller bound to
 * tenants, who sees no tally (a tally counts every tenant), from its tenants' decisions themselves.
 */
public final class DatasetImpact {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The dataset (all its versions) or one dataset version, and what was trained on it. */
  private static final String MODELS =
      """
      SELECT DISTINCT ?datasetVersion ?modelVersion ?modelId WHERE {
        # The version itself, or every version of the dataset.
        ?datasetVersion a arb:DatasetVersion ; prov:specializationOf? ?target .
        OPTIONAL {
          ?modelVersion a arb:ModelVersion ; prov:wasDerivedFrom ?datasetVersion ;
                        dcterms:identifier ?modelId .
        }
      }
      ORDER BY ?datasetVersion ?modelId""";

  private static final String POLICIES =
      """
      SELECT DISTINCT ?policyVersion ?policyId ?modelVersion WHERE {
        ?modelVersion dcterms:isVersionOf ?model .
        ?policyVersion arb:governs ?model ; dcterms:identifier ?policyId .
      }
      ORDER BY ?policyId""";

  /**
   * Tallied hours by their latest tally's cells (a few an hour), hours not tallied yet by their
   * decisions: the same counts as grouping every decision, without reading them.
   */
  private static final String ROUTES =
      """
      SELECT ?modelVersion ?route (SUM(?count) AS ?decisions)
             (MIN(?firstAt) AS ?first) (MAX(?lastAt) AS ?last) WHERE {
        {
          ?cell arb:cellModelVersion ?modelVersion ; arb:route ?route ; arb:decisionCount ?count ;
                arb:firstSubmittedAt ?firstAt ; arb:lastSubmittedAt ?lastAt .
          ?tally arb:hasCell ?cell .
          FILTER NOT EXISTS { ?newer prov:wasRevisionOf ?tally }
        } UNION {
          # A subquery, so that the hours are chosen before any decision is read.
          { SELECT ?hour WHERE { ?hour a arb:SubmissionHour . FILTER NOT EXISTS { ?t arb:tallyOf ?hour } } }
          ?decision arb:submittedInHour ?hour .
          GRAPH ?bundle {
            ?decision prov:wasAttributedTo ?modelVersion ; arb:routedBy ?routing ;
                      arb:submittedAt ?firstAt .
            ?routing arb:route ?route .
          }
          BIND (?firstAt AS ?lastAt)
          BIND (1 AS ?count)
        }
      }
      GROUP BY ?modelVersion ?route
      ORDER BY ?modelVersion ?route""";

  /**
   * {@link #ROUTES} for a caller bound to tenants, who sees no tally (a tally counts every tenant's
   * decisions together): its tenants' decisions themselves, as many reads as they are.
   */
  private static final String ROUTES_OF_DECISIONS =
      """
      SELECT ?modelVersion ?route (COUNT(?decision) AS ?decisions)
             (MIN(?at) AS ?first) (MAX(?at) AS ?last) WHERE {
        GRAPH ?bundle {
          ?decision prov:wasAttributedTo ?modelVersion ; arb:routedBy ?routing ;
                    arb:submittedAt ?at .
          ?routing arb:route ?route .
        }
      }
      GROUP BY ?modelVersion ?route
      ORDER BY ?modelVersion ?route""";

  /**
   * From the verdicts (a few per reviewed decision), not from every decision of the models. The
   * verdicts are matched first and the model versions checked per verdict: with the review steps
   * inside a GRAPH block that shares no variable with the model versions, Jena evaluated the whole
   * block again for each model version, so the report slowed with every version trained on the data
   * (3 versions 1.8 s, 15 versions 5.3 s at 100,000 decisions; this form 0.5 s for 3 to 100).
   */
  private static final String REVIEWERS =
      """
      SELECT ?reviewer ?verdict (COUNT(DISTINCT ?decision) AS ?decisions) WHERE {
        # arb:verdict only on review steps (a few thousand): prov:used alone would match every
        # routing's inputs too.
        ?step arb:verdict ?verdict ; prov:used ?task .
        ?task arb:reviewOf ?decision .
        ?decision prov:wasAttributedTo ?modelVersion .
        # The reviewer's name as the verdict's bundle states it: the union of all bundles restates
        # a person once for every event they took part in.
        GRAPH ?verdictBundle {
          ?step prov:qualifiedAssociation ?association .
          ?association prov:agent ?agent .
          ?agent dcterms:identifier ?reviewer .
        }
      }
      GROUP BY ?reviewer ?verdict
      ORDER BY ?reviewer ?verdict""";

  /** A model version trained on the data, or a dataset version nothing was trained on. */
  public record Trained(
      String datasetVersion, Optional<String> modelVersion, Optional<String> model) {}

  public record Governing(String policyVersion, String policy, String modelVersion) {}

  public record RouteCount(
      String modelVersion, String route, long decisions, String first, String last) {}

  public record ReviewerCount(String reviewer, String verdict, long decisions) {}

  public record Report(
      String target,
      List<Trained> trained,
      List<Governing> policies,
      List<RouteCount> routes,
      List<ReviewerCount> reviewers) {

    public long decisions() {
      return routes.stream().mapToLong(RouteCount::decisions).sum();
    }
  }

  private final GraphReads store;

  public DatasetImpact(GraphReads store) {
    this.store = store;
  }

  /** Empty when {@code target} is neither a dataset nor a dataset version. */
  public Optional<Report> of(String target) {
    return of(target, Progress.NONE);
  }

  /**
   * As {@link #of(String)}, telling {@code progress} of each of its four queries as it is answered
   * (a query is not stopped halfway: a cancellation stops the report before the next one).
   */
  public Optional<Report> of(String target, Progress progress) {
    return store.read(snapshot -> report(snapshot, ROUTES, target, progress));
  }

  /**
   * As {@link #of(String, Progress)}, over the bundles {@code visible} accepts only (a caller bound
   * to tenants): the registry and policies as for anyone, the decisions and verdicts of its tenants
   * alone.
   *
   * @throws UnsupportedOperationException when the store cannot show some bundles only (a remote
   *     one)
   */
  public Optional<Report> of(String target, Progress progress, BundleFilter visible) {
    return report(store.view(visible), ROUTES_OF_DECISIONS, target, progress);
  }

  private static Optional<Report> report(
      GraphReads.Snapshot snapshot, String routesQuery, String target, Progress progress) {
    progress.total(4);
    progress.advance(0);
    List<Trained> trained = new ArrayList<>();
    for (QuerySolution row : rows(snapshot, MODELS, "target", List.of(target))) {
      trained.add(
          new Trained(
              row.getResource("datasetVersion").getURI(),
              Optional.ofNullable(row.getResource("modelVersion")).map(r -> r.getURI()),
              Optional.ofNullable(row.getLiteral("modelId")).map(l -> l.getLexicalForm())));
    }
    if (trained.isEmpty()) {
      return Optional.empty();
    }
    progress.advance(1);
    List<String> models =
        trained.stream().flatMap(t -> t.modelVersion().stream()).distinct().toList();
    List<Governing> policies = new ArrayList<>();
    List<RouteCount> routes = new ArrayList<>();
    List<ReviewerCount> reviewers = new ArrayList<>();
    if (!models.isEmpty()) {
      for (QuerySolution row : rows(snapshot, POLICIES, "modelVersion", models)) {
        policies.add(
            new Governing(
                row.getResource("policyVersion").getURI(),
                row.getLiteral("policyId").getLexicalForm(),
                row.getResource("modelVersion").getURI()));
      }
      progress.advance(1);
      for (QuerySolution row : rows(snapshot, routesQuery, "modelVersion", models)) {
        routes.add(
            new RouteCount(
                row.getResource("modelVersion").getURI(),
                Sparql.PREFIXES.shortForm(row.getResource("route").getURI()),
                row.getLiteral("decisions").getLong(),
                row.getLiteral("first").getLexicalForm(),
                row.getLiteral("last").getLexicalForm()));
      }
      progress.advance(1);
      for (QuerySolution row : rows(snapshot, REVIEWERS, "modelVersion", models)) {
        reviewers.add(
            new ReviewerCount(
                row.getLiteral("reviewer").getLexicalForm(),
                Sparql.PREFIXES.shortForm(row.getResource("verdict").getURI()),
                row.getLiteral("decisions").getLong()));
      }
    }
    progress.advance(models.isEmpty() ? 3 : 1);
    return Optional.of(new Report(target, trained, policies, routes, reviewers));
  }

  private static List<QuerySolution> rows(
      GraphReads.Snapshot snapshot, String text, String variable, List<String> iris) {
    try {
      return Sparql.rows(snapshot, text, variable, iris, TIMEOUT);
    } catch (org.apache.jena.query.QueryCancelledException e) {
      // A report past its time is the caller's to hear about (503, not an internal error).
      throw new io.arbiter.problem.ProblemException(
          io.arbiter.problem.ProblemType.QUERY_TIMEOUT,
          "A query of the impact report ran longer than "
              + TIMEOUT.toSeconds()
              + " s and was cancelled; nothing was changed.");
    }
  }
}
