package io.arbiter.graph.prov;

import io.arbiter.decision.DecisionId;
import io.arbiter.decision.PolicyRef;
import io.arbiter.event.IriScheme;
import io.arbiter.review.Outcome;
import io.arbiter.review.ReviewAssignment;
import io.arbiter.review.ReviewEvent;
import io.arbiter.review.ReviewRecords;
import io.arbiter.review.Settlement;
import io.arbiter.review.TaskKind;
import io.arbiter.review.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.jena.query.QuerySolution;
import org.apache.jena.rdf.model.Literal;
import org.apache.jena.rdf.model.RDFNode;

/** Reads review tasks and their steps back from the graph, at start-up. */
public final class ProvReviewRecords implements ReviewRecords {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final String SEPARATOR = " ";

  /**
   * Everything a task needs is in its decision's bundle: one GRAPH pattern, no union joins. A task
   * with several reason codes comes as several adjacent rows (no GROUP BY: it cost four times the
   * query on 10,000 tasks).
   */
  private static final String ASSIGNMENTS =
      """
      SELECT ?id ?kind ?decisionId ?queue ?reviewers ?blind ?deadline ?recommendation
             ?created ?submitter ?failSafe ?plan ?rule ?code
      WHERE {
        GRAPH ?bundle {
          ?task a arb:ReviewTask ; dcterms:identifier ?id ; arb:taskKind ?kind ;
                arb:reviewOf ?decision ; arb:reviewQueue ?queue ; arb:reviewersRequired ?reviewers ;
                arb:blindReview ?blind ; arb:deadline ?deadline ;
                arb:recommendation ?recommendation ; prov:generatedAtTime ?created ;
                prov:wasGeneratedBy ?routing .
          ?decision dcterms:identifier ?decisionId ; arb:submittedBy ?agent .
          ?agent dcterms:identifier ?submitter .
          OPTIONAL { ?routing prov:qualifiedAssociation ?association .
                     ?association prov:hadPlan ?plan }
          OPTIONAL { ?routing arb:failSafe ?failSafe }
          OPTIONAL { ?routing arb:matchedRule|arb:failedRule ?rule }
          OPTIONAL { ?task arb:reasonCode ?code }
        }
      }
      ORDER BY ?created ?id""";

  private static final String EVENTS =
      """
      SELECT ?seq ?type ?task ?actor ?time ?started ?expires ?verdict ?code ?justification ?saw
             ?from ?to ?outcome ?basis ?overrides
             (GROUP_CONCAT(STR(?ruleIri); separator=" ") AS ?rules)
      WHERE {
        GRAPH ?bundle {
          ?bundle arb:eventType ?type ; arb:eventSubject ?task ;
                  prov:generatedAtTime ?time ; prov:wasAttributedTo/dcterms:identifier ?actor .
          FILTER(STRSTARTS(?type, "review."))
          ?step a arb:ReviewStep ; prov:startedAtTime ?started .
          OPTIONAL { ?step arb:claimExpires ?expires }
          OPTIONAL { ?step arb:verdict ?verdict ; arb:reasonCode ?code ; arb:sawRecommendation ?saw }
          OPTIONAL { ?step arb:justification ?justification }
          OPTIONAL { ?step arb:fromQueue ?from ; arb:toQueue ?to }
          OPTIONAL { ?step arb:reliedOnRule ?ruleIri }
          OPTIONAL {
            ?result prov:wasGeneratedBy ?step ; arb:route ?outcome ; arb:settledBy ?basis ;
                    arb:overridesRecommendation ?overrides .
          }
        }
        # The bundle's place in the log: in the ledger graph (inside legacy bundles).
        ?bundle arb:sequence ?seq .
      }
      GROUP BY ?seq ?type ?task ?actor ?time ?started ?expires ?verdict ?code ?justification ?saw
               ?from ?to ?outcome ?basis ?overrides
      ORDER BY ?seq""";

  private final GraphReads store;
  private final IriScheme iris;

  public ProvReviewRecords(GraphReads store, IriScheme iris) {
    this.store = store;
    this.iris = iris;
  }

  @Override
  public void forEachAssignment(Consumer<ReviewAssignment> sink) {
    store.query(
        Sparql.prepare(ASSIGNMENTS).asQuery(),
        TIMEOUT,
        execution -> {
          QuerySolution first = null;
          List<String> codes = new ArrayList<>();
          for (var rows = execution.execSelect(); rows.hasNext(); ) {
            QuerySolution row = rows.next();
            if (first != null && !text(first, "id").equals(text(row, "id"))) {
              sink.accept(assignment(first, codes));
              codes = new ArrayList<>();
            }
            if (first == null || !text(first, "id").equals(text(row, "id"))) {
              first = row;
            }
            text(row, "code").ifPresent(codes::add);
          }
          if (first != null) {
            sink.accept(assignment(first, codes));
          }
          return null;
        });
  }

  private ReviewAssignment assignment(QuerySolution row, List<String> codes) {
    return new ReviewAssignment(
        text(row, "id").orElseThrow(),
        TaskKind.valueOf(text(row, "kind").orElseThrow().toUpperCase(java.util.Locale.ROOT)),
        new DecisionId(text(row, "decisionId").orElseThrow()),
        text(row, "queue").orElseThrow(),
        row.getLiteral("reviewers").getInt(),
        row.getLiteral("blind").getBoolean(),
        // arb:priority is not read: old graphs hold a confidence-derived number there.
        row.contains("failSafe") && row.getLiteral("failSafe").getBoolean(),
        instant(row, "created").orElseThrow(),
        instant(row, "deadline").orElseThrow(),
        text(row, "recommendation").orElseThrow(),
        text(row, "submitter").orElseThrow(),
        Optional.ofNullable(row.getResource("plan"))
            .flatMap(plan -> iris.parsePolicyVersion(plan.getURI()))
            .map(v -> new PolicyRef(v.policyId(), v.version())),
        Optional.ofNullable(row.getResource("rule")).map(rule -> ruleId(rule.getURI())),
        codes);
  }

  @Override
  public void forEachEvent(Consumer<ReviewEvent> sink) {
    store.query(
        Sparql.prepare(EVENTS).asQuery(),
        TIMEOUT,
        execution -> {
          execution.execSelect().forEachRemaining(row -> sink.accept(event(row)));
          return null;
        });
  }

  private ReviewEvent event(QuerySolution row) {
    String type = text(row, "type").orElseThrow();
    String taskIri = row.getResource("task").getURI();
    String taskId = IriScheme.unsegment(taskIri.substring(iris.review("").length()));
    DecisionId decision = ReviewAssignment.decisionOf(taskId);
    String actor = text(row, "actor").orElseThrow();
    Instant time = instant(row, "time").orElseThrow();
    Optional<Settlement> settlement =
        Optional.ofNullable(row.getResource("outcome"))
            .map(
                outcome ->
                    new Settlement(
                        outcome(outcome),
                        Settlement.Basis.fromWireName(text(row, "basis").orElseThrow())
                            .orElseThrow(),
                        time,
                        row.getLiteral("overrides").getBoolean()));
    switch (type) {
      case ReviewEvent.Claimed.TYPE:
        return new ReviewEvent.Claimed(
            taskId, decision, taskIri, actor, time, instant(row, "expires").orElseThrow());
      case ReviewEvent.Released.TYPE:
        return new ReviewEvent.Released(taskId, decision, taskIri, actor, time);
      case ReviewEvent.VerdictGiven.TYPE:
        return new ReviewEvent.VerdictGiven(
            taskId, decision, taskIri, policy(row), verdict(row, actor, time), settlement);
      case ReviewEvent.Adjudicated.TYPE:
        return new ReviewEvent.Adjudicated(
            taskId,
            decision,
            taskIri,
            policy(row),
            verdict(row, actor, time),
            settlement.orElseThrow());
      case ReviewEvent.Escalated.TYPE:
        return new ReviewEvent.Escalated(
            taskId,
            decision,
            taskIri,
            actor,
            time,
            text(row, "from").orElseThrow(),
            text(row, "to").orElseThrow());
      case ReviewEvent.TimedOut.TYPE:
        return new ReviewEvent.TimedOut(taskId, decision, taskIri, actor, settlement.orElseThrow());
      default:
        throw new IllegalStateException("unknown review event type " + type);
    }
  }

  private Verdict verdict(QuerySolution row, String actor, Instant time) {
    return new Verdict(
        actor,
        outcome(row.getResource("verdict")),
        text(row, "code").orElseThrow(),
        rules(row).stream().map(this::ruleId).toList(),
        text(row, "justification"),
        row.getLiteral("saw").getBoolean(),
        instant(row, "started").orElseThrow(),
        time);
  }

  /** The policy version the verdict's rules belong to (all of one version). */
  private Optional<PolicyRef> policy(QuerySolution row) {
    return rules(row).stream()
        .findFirst()
        .flatMap(iris::parsePolicyRule)
        .map(r -> new PolicyRef(r.version().policyId(), r.version().version()));
  }

  private static List<String> rules(QuerySolution row) {
    String rules = text(row, "rules").orElse("");
    return rules.isEmpty() ? List.of() : Arrays.asList(rules.split(SEPARATOR));
  }

  private String ruleId(String ruleIri) {
    return iris.parsePolicyRule(ruleIri)
        .orElseThrow(() -> new IllegalStateException("not a policy rule IRI: " + ruleIri))
        .ruleId();
  }

  private static Outcome outcome(RDFNode route) {
    return Outcome.of(ProvDecisionRecords.route(route));
  }

  private static Optional<String> text(QuerySolution row, String variable) {
    return Optional.ofNullable(row.getLiteral(variable)).map(Literal::getLexicalForm);
  }

  private static Optional<Instant> instant(QuerySolution row, String variable) {
    return text(row, variable).map(Instant::parse);
  }
}
