package io.arbiter.event;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How Arbiter names things: every resource IRI is {@code base} plus a path. {@code /id/**}
 * dereferences them, so the base normally ends in {@code /id/} of the public URL.
 *
 * <p>The base is fixed for the life of a store: changing it orphans every IRI already written.
 */
public record IriScheme(String base) {

  public IriScheme {
    Objects.requireNonNull(base, "base");
    if (!base.endsWith("/") && !base.endsWith("#")) {
      throw new IllegalArgumentException("base IRI must end with '/' or '#': " + base);
    }
  }

  public String decision(String decisionId) {
    return base + "decisions/" + segment(decisionId);
  }

  /** A review task (a decision's escalation, or its QA review). */
  public String review(String taskId) {
    return base + "reviews/" + segment(taskId);
  }

  /**
   * An hour of decision intake, named by its start in UTC ({@code hours/2026-11-26T09Z}).
   *
   * @param start on the hour
   */
  public String hour(java.time.Instant start) {
    return base + "hours/" + start.toString().substring(0, 13) + "Z";
  }

  /** An hour's tally; each revision replaces the one before it. */
  public String hourTally(java.time.Instant start, int revision) {
    return hour(start) + "/tallies/" + revision;
  }

  /**
   * An event's bundle (named graph), by the event's own id. Bundles recorded before the journal are
   * named by their sequence number ({@code bundles/12}); both forms name one bundle each, and the
   * sequence number of either is the ledger's ({@code arb:sequence}).
   */
  public String bundle(String eventId) {
    return base + "bundles/" + segment(eventId);
  }

  /**
   * The named graph that places each bundle in the ledger ({@code <bundle> arb:sequence n}) and
   * records how far the store has applied the journal.
   */
  public String ledgerGraph() {
    return base + "ledger";
  }

  /** A ledger entry's resource, as stores written before the journal kept entries in the graph. */
  public String ledgerEntry(long sequence) {
    return base + "ledger/entries/" + sequence;
  }

  public String model(String name) {
    return base + "models/" + segment(name);
  }

  /** A model version's name and version, as its IRI spells them. */
  public record ModelVersionIri(String name, String version) {}

  /** The name and version in a model version IRI ({@code models/{name}/versions/{version}}). */
  public java.util.Optional<ModelVersionIri> parseModelVersion(String iri) {
    return versioned("models/", iri).map(v -> new ModelVersionIri(v[0], v[1]));
  }

  /** Name and version of {@code base + kind + name + "/versions/" + version}. */
  private java.util.Optional<String[]> versioned(String kind, String iri) {
    String prefix = base + kind;
    int versions = iri.indexOf("/versions/");
    if (!iri.startsWith(prefix) || versions < prefix.length()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new String[] {
          unsegment(iri.substring(prefix.length(), versions)),
          unsegment(iri.substring(versions + "/versions/".length()))
        });
  }

  public String modelVersion(String name, String version) {
    return model(name) + "/versions/" + segment(version);
  }

  /** A reference profile registered for a model version's drift monitoring. */
  public String driftReference(String name, String version, String id) {
    return modelVersion(name, version) + "/references/" + segment(id);
  }

  public String driftAlarm(String id) {
    return base + DRIFT_ALARMS + segment(id);
  }

  /** The inverse of {@link #driftAlarm}: the alarm's id, if the IRI is one. */
  public java.util.Optional<String> parseDriftAlarm(String iri) {
    return lastSegment(iri, DRIFT_ALARMS);
  }

  /** The id after {@code base + folder}, if the IRI is one such IRI and nothing deeper. */
  private java.util.Optional<String> lastSegment(String iri, String folder) {
    String prefix = base + folder;
    return iri.startsWith(prefix) && iri.indexOf('/', prefix.length()) < 0
        ? java.util.Optional.of(unsegment(iri.substring(prefix.length())))
        : java.util.Optional.empty();
  }

  private static final String DRIFT_ALARMS = "drift-alarms/";

  /** A service-level objective, by its id in the objectives file. */
  public String slo(String id) {
    return base + "slos/" + segment(id);
  }

  public String sloBreach(String id) {
    return base + SLO_BREACHES + segment(id);
  }

  /** The inverse of {@link #sloBreach}: the breach's id, if the IRI is one. */
  public java.util.Optional<String> parseSloBreach(String iri) {
    return lastSegment(iri, SLO_BREACHES);
  }

  private static final String SLO_BREACHES = "slo-breaches/";

  /**
   * An outcome of a declared vocabulary ({@code benign}), a SKOS concept shared by the policies
   * that name it, as routes are. The demo vocabulary's approve and reject, and review, are {@code
   * arb:} concepts instead.
   */
  public String outcome(String name) {
    return base + OUTCOMES + segment(name);
  }

  /**
   * The inverse of {@link #outcome}, if the IRI is one, whatever the base it was written with: an
   * outcome's name needs no escaping, so its IRI ends in {@code /outcomes/} and the name.
   */
  public static java.util.Optional<String> outcomeName(String iri) {
    int at = iri.lastIndexOf("/" + OUTCOMES);
    String name = at < 0 ? "" : iri.substring(at + OUTCOMES.length() + 1);
    return name.isEmpty() || name.indexOf('/') >= 0
        ? java.util.Optional.empty()
        : java.util.Optional.of(name);
  }

  private static final String OUTCOMES = "outcomes/";

  /** The SKOS concept scheme of a policy version's outcomes. */
  public String outcomeScheme(String policyId, String version) {
    return policyVersion(policyId, version) + "/outcomes";
  }

  public String policy(String policyId) {
    return base + "policies/" + segment(policyId);
  }

  public String policyVersion(String policyId, String version) {
    return policy(policyId) + "/versions/" + segment(version);
  }

  /** A policy version's id and version, read back from its IRI. */
  public record PolicyVersionIri(String policyId, String version) {}

  /** The inverse of {@link #policyVersion}, if the IRI is one. */
  public java.util.Optional<PolicyVersionIri> parsePolicyVersion(String iri) {
    return versioned("policies/", iri).map(v -> new PolicyVersionIri(v[0], v[1]));
  }

  /** A rule (guardrail, rule or default route) of a policy version. */
  public String policyRule(String policyId, String version, String ruleId) {
    return policyVersion(policyId, version) + RULES + segment(ruleId);
  }

  /** A policy rule's policy, version and rule id, read back from its IRI. */
  public record PolicyRuleIri(PolicyVersionIri version, String ruleId) {}

  /** The inverse of {@link #policyRule}, if the IRI is one. */
  public java.util.Optional<PolicyRuleIri> parsePolicyRule(String iri) {
    int rules = iri.lastIndexOf(RULES);
    if (rules < 0) {
      return java.util.Optional.empty();
    }
    return parsePolicyVersion(iri.substring(0, rules))
        .map(v -> new PolicyRuleIri(v, unsegment(iri.substring(rules + RULES.length()))));
  }

  private static final String RULES = "/rules/";

  public String agent(String userName) {
    return base + "agents/" + segment(userName);
  }

  /** The user name in an agent IRI. */
  public java.util.Optional<String> parseAgent(String iri) {
    return lastSegment(iri, "agents/");
  }

  public String source(String name) {
    return base + "sources/" + segment(name);
  }

  public String sourceField(String source, String field) {
    return source(source) + "/fields/" + segment(field);
  }

  public String dataset(String id) {
    return base + "datasets/" + segment(id);
  }

  public String datasetVersion(String id, String version) {
    return dataset(id) + "/versions/" + segment(version);
  }

  /** An evaluation metric model versions are measured by (a {@code dqv:Metric}), e.g. auc. */
  public String metric(String name) {
    return base + "metrics/" + segment(name);
  }

  public String feature(String name) {
    return base + "features/" + segment(name);
  }

  /** Percent-encodes one path segment, so user-chosen names cannot add path levels. */
  public static String segment(String raw) {
    return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The inverse of {@link #segment}. */
  public static String unsegment(String encoded) {
    return java.net.URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
