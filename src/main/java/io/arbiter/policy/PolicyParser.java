package io.arbiter.policy;

import io.arbiter.event.CanonicalJson;
import io.arbiter.event.Jsonp;
import io.arbiter.event.StrictYaml;
import io.arbiter.event.UnpairedSurrogateException;
import io.arbiter.policy.PolicyDocumentException.Problem;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a policy document (YAML 1.2, so JSON too) into a {@link PolicyDocument}, reporting every
 * structural problem with its path. CEL conditions are checked later, by {@link PolicyCompiler}.
 */
public final class PolicyParser {

  /**
   * What policy ids, versions, reason codes, scope model names and tenant ids look like. Tenant ids
   * are checked by this one rule wherever they are named: in a decision request and in the tenant
   * grants as well as in a policy's scope.
   */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final Pattern INPUT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "id",
          "version",
          "description",
          "scope",
          "inputs",
          "guardrails",
          "rules",
          "default",
          "failSafe",
          "qaSampling",
          "onReviewTimeout",
          "reasonCodes",
          "abstention",
          "vocabulary",
          "undeclaredInputs");
  private static final Set<String> INPUT_KEYS = Set.of("type", "optional");
  private static final Set<String> RULE_KEYS =
      Set.of("id", "condition", "route", "review", "description");
  private static final Set<String> REVIEW_KEYS =
      Set.of("queue", "reviewers", "sla", "blind", "reasonCodes");
  private static final ReviewSettings DEFAULT_REVIEW =
      new ReviewSettings("general", 1, Duration.ofHours(24), false);
  private static final int MAX_REVIEWERS = 10;

  private final List<Problem> problems = new ArrayList<>();

  /** The declared inputs marked {@code optional: true}, found while reading {@code inputs}. */
  private final Set<String> optionalInputs = new HashSet<>();

  /** The policy's reason codes, read before the rules, whose review settings may narrow them. */
  private List<ReasonCode> policyReasonCodes = List.of();

  /** The policy's outcomes, read before the rules, whose routes must be among them. */
  private OutcomeVocabulary vocabulary = OutcomeVocabulary.DEFAULT;

  /**
   * What a review whose SLA runs out becomes, read before the guardrails, which may route to it.
   */
  private Route onReviewTimeout = Route.REJECT;

  /** Rule ids seen so far, across guardrails and rules; "default" names the default route. */
  private final Set<String> ruleIds = new HashSet<>(Set.of(DefaultRoute.ID));

  private PolicyParser() {}

  /**
   * Parses one document.
   *
   * @param sourceName where the text came from (a file name), used in messages only
   */
  public static PolicyDocument parse(String sourceName, String text)
      throws PolicyDocumentException {
    return new PolicyParser().read(sourceName, text);
  }

  private PolicyDocument read(String sourceName, String text) throws PolicyDocumentException {
    Object root = loadYaml(text);
    if (!(root instanceof Map<?, ?> map)) {
      if (problems.isEmpty()) {
        problems.add(
            new Problem("", "a policy document must be a mapping (YAML) or object (JSON)"));
      }
      throw new PolicyDocumentException(sourceName, problems);
    }
    unknownKeys(map, TOP_LEVEL, "");
    String id = identifier(map, "id", "");
    String version = version(map.get("version"));
    Optional<String> description = optionalString(map, "description", "");
    List<String> models = scope(map.get("scope"));
    List<String> tenants = tenants(map.get("scope"));
    Map<String, InputType> inputs = inputs(map.get("inputs"));
    policyReasonCodes = ReasonCodeSection.policyCodes(map.get("reasonCodes"), problems);
    vocabulary = VocabularySection.read(map.get("vocabulary"), problems);
    onReviewTimeout = onReviewTimeout(map.get("onReviewTimeout"));
    List<PolicyRule> guardrails = rules(map.get("guardrails"), "guardrails", RuleKind.GUARDRAIL);
    List<PolicyRule> rules = rules(map.get("rules"), "rules", RuleKind.RULE);
    DefaultRoute defaultRoute = defaultRoute(map.get("default"));
    ReviewSettings failSafe =
        map.containsKey("failSafe")
            ? review(map.get("failSafe"), "failSafe", ReviewSettings.FAIL_SAFE)
                .orElse(ReviewSettings.FAIL_SAFE)
            : ReviewSettings.FAIL_SAFE;
    double qaSampling = qaSampling(map.get("qaSampling"));
    Abstention abstention = abstention(map.get("abstention"));
    UndeclaredInputs undeclaredInputs = undeclaredInputs(map.get("undeclaredInputs"));
    // Last, on a document otherwise valid: it is where a string that is not Unicode text is found.
    String contentHash = problems.isEmpty() ? contentHash(map) : "";
    if (!problems.isEmpty()) {
      throw new PolicyDocumentException(sourceName, problems);
    }
    return new PolicyDocument(
        id,
        version,
        description,
        models,
        tenants,
        inputs,
        optionalInputs,
        guardrails,
        rules,
        defaultRoute,
        failSafe,
        qaSampling,
        onReviewTimeout,
        policyReasonCodes,
        abstention,
        vocabulary,
        undeclaredInputs,
        contentHash,
        text);
  }

  /** {@code drop} (the default) or {@code refuse}. */
  private UndeclaredInputs undeclaredInputs(Object value) {
    if (value == null) {
      return UndeclaredInputs.DROP;
    }
    Optional<UndeclaredInputs> known =
        value instanceof String name ? UndeclaredInputs.fromWireName(name) : Optional.empty();
    if (known.isEmpty()) {
      problems.add(new Problem("undeclaredInputs", "must be drop or refuse"));
    }
    return known.orElse(UndeclaredInputs.DROP);
  }

  /**
   * What a review whose SLA runs out becomes: one of the vocabulary's outcomes, reject by default
   * (so a vocabulary without reject must name one).
   */
  private Route onReviewTimeout(Object value) {
    if (value == null) {
      if (!vocabulary.contains(Route.REJECT.wireName())) {
        problems.add(
            new Problem(
                "onReviewTimeout",
                "is required when the vocabulary's outcomes do not include reject: one of "
                    + vocabulary.outcomes()));
      }
      return Route.REJECT;
    }
    if (value instanceof String name && vocabulary.contains(name)) {
      return new Route(name);
    }
    problems.add(new Problem("onReviewTimeout", "must be one of " + vocabulary.outcomes()));
    return Route.REJECT;
  }

  /** {@code abstention: {labels: [abstain, unsure], confidenceBelow: 0.6}}, both optional. */
  private Abstention abstention(Object value) {
    if (value == null) {
      return Abstention.DEFAULT;
    }
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(new Problem("abstention", "must be a mapping (labels, confidenceBelow)"));
      return Abstention.DEFAULT;
    }
    unknownKeys(map, Set.of("labels", "confidenceBelow"), "abstention");
    List<String> labels = Abstention.DEFAULT.labels();
    if (map.containsKey("labels")) {
      if (map.get("labels") instanceof List<?> list
          && list.stream().allMatch(l -> l instanceof String s && !s.isEmpty())) {
        labels = list.stream().map(String.class::cast).toList();
      } else {
        problems.add(new Problem("abstention.labels", "must be a list of output labels"));
      }
    }
    Optional<Double> floor = Optional.empty();
    if (map.containsKey("confidenceBelow")) {
      if (map.get("confidenceBelow") instanceof Number n
          && n.doubleValue() >= 0
          && n.doubleValue() <= 1) {
        floor = Optional.of(n.doubleValue());
      } else {
        problems.add(new Problem("abstention.confidenceBelow", "must be a number from 0 to 1"));
      }
    }
    return new Abstention(labels, floor);
  }

  /** The share of automated decisions sent to post-hoc review: a number from 0 to 1. */
  private double qaSampling(Object value) {
    if (value == null) {
      return 0;
    }
    if (value instanceof Number number) {
      double rate = number.doubleValue();
      if (rate >= 0 && rate <= 1) {
        return rate;
      }
    }
    problems.add(new Problem("qaSampling", "must be a number from 0 to 1"));
    return 0;
  }

  private Object loadYaml(String text) {
    try {
      return StrictYaml.load(text);
    } catch (MarkedYamlEngineException e) {
      var mark = e.getProblemMark().or(e::getContextMark);
      String where =
          mark.map(m -> "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
              .orElse("unknown position");
      problems.add(new Problem("", "not valid YAML/JSON at " + where + ": " + e.getProblem()));
    } catch (YamlEngineException e) {
      problems.add(new Problem("", "not valid YAML/JSON: " + e.getMessage()));
    }
    return null;
  }

  private String identifier(Map<?, ?> map, String key, String at) {
    String path = join(at, key);
    Object value = map.get(key);
    if (!(value instanceof String text)) {
      problems.add(new Problem(path, value == null ? "is required" : "must be a string"));
      return "";
    }
    if (!ID.matcher(text).matches()) {
      problems.add(new Problem(path, "must match " + ID.pattern()));
    }
    return text;
  }

  private String version(Object value) {
    String text =
        value instanceof String s
            ? s
            : value instanceof Integer || value instanceof Long || value instanceof BigInteger
                ? value.toString()
                : null;
    if (text == null) {
      problems.add(
          new Problem("version", value == null ? "is required" : "must be a string or integer"));
      return "";
    }
    if (!ID.matcher(text).matches()) {
      problems.add(new Problem("version", "must match " + ID.pattern()));
    }
    return text;
  }

  private Optional<String> optionalString(Map<?, ?> map, String key, String at) {
    Object value = map.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String text) {
      return Optional.of(text);
    }
    problems.add(new Problem(join(at, key), "must be a string"));
    return Optional.empty();
  }

  /** The optional {@code scope.tenants}: a non-empty list of tenant ids when given. */
  private List<String> tenants(Object value) {
    if (!(value instanceof Map<?, ?> scope) || !scope.containsKey("tenants")) {
      return List.of();
    }
    if (!(scope.get("tenants") instanceof List<?> list) || list.isEmpty()) {
      problems.add(
          new Problem("scope.tenants", "must be a non-empty list of tenant ids, or left out"));
      return List.of();
    }
    List<String> tenants = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof String tenant && ID.matcher(tenant).matches()) {
        tenants.add(tenant);
      } else {
        problems.add(new Problem("scope.tenants[" + i + "]", "must be a tenant id matching " + ID));
      }
    }
    return tenants;
  }

  private List<String> scope(Object value) {
    if (!(value instanceof Map<?, ?> scope)) {
      problems.add(new Problem("scope", value == null ? "is required" : "must be a mapping"));
      return List.of();
    }
    unknownKeys(scope, Set.of("models", "tenants"), "scope");
    Object models = scope.get("models");
    if (!(models instanceof List<?> list) || list.isEmpty()) {
      problems.add(new Problem("scope.models", "must be a non-empty list of model names"));
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof String name && ID.matcher(name).matches()) {
        names.add(name);
      } else {
        problems.add(new Problem("scope.models[" + i + "]", "must be a model name matching " + ID));
      }
    }
    return names;
  }

  /**
   * {@code inputs}: each name maps to its type ({@code amount: number}), or to a mapping that may
   * also mark it optional ({@code region: {type: string, optional: true}}). Declared inputs are
   * required unless marked so: a request without one fails safe before any rule runs.
   */
  private Map<String, InputType> inputs(Object value) {
    Map<String, InputType> inputs = new LinkedHashMap<>();
    if (value == null) {
      return inputs;
    }
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(new Problem("inputs", "must map input names to types"));
      return inputs;
    }
    for (var entry : map.entrySet()) {
      String name = String.valueOf(entry.getKey());
      String path = "inputs." + name;
      if (!INPUT_NAME.matcher(name).matches()) {
        problems.add(new Problem(path, "input names must match " + INPUT_NAME.pattern()));
      }
      Object declared = entry.getValue();
      String typePath = path;
      if (declared instanceof Map<?, ?> declaration) {
        unknownKeys(declaration, INPUT_KEYS, path);
        declared = declaration.get("type");
        typePath = path + ".type";
        Object optional = declaration.get("optional");
        if (optional != null && !(optional instanceof Boolean)) {
          problems.add(new Problem(path + ".optional", "must be true or false"));
        } else if (Boolean.TRUE.equals(optional)) {
          optionalInputs.add(name);
        }
      }
      Optional<InputType> type =
          declared instanceof String t ? InputType.fromWireName(t) : Optional.empty();
      if (type.isEmpty()) {
        String types = "number, integer, string, boolean";
        problems.add(
            new Problem(
                typePath,
                typePath.equals(path)
                    ? "type must be one of " + types
                    : declared == null
                        ? "is required: one of " + types
                        : "must be one of " + types));
      } else {
        inputs.put(name, type.get());
      }
    }
    return inputs;
  }

  private List<PolicyRule> rules(Object value, String section, RuleKind kind) {
    List<PolicyRule> rules = new ArrayList<>();
    if (value == null) {
      return rules;
    }
    if (!(value instanceof List<?> list)) {
      problems.add(new Problem(section, "must be a list"));
      return rules;
    }
    for (int i = 0; i < list.size(); i++) {
      String at = section + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        problems.add(new Problem(at, "must be a mapping with id, condition and route"));
        continue;
      }
      int problemsBefore = problems.size();
      unknownKeys(map, RULE_KEYS, at);
      String id = identifier(map, "id", at);
      if (!id.isEmpty() && !ruleIds.add(id)) {
        problems.add(
            new Problem(at + ".id", "'" + id + "' is already used (or reserved) in this policy"));
      }
      String condition = condition(map.get("condition"), at + ".condition");
      Route route = route(map.get("route"), at + ".route");
      guardrailRoute(kind, route, at + ".route");
      Optional<ReviewSettings> review = reviewFor(route, map.get("review"), at + ".review");
      Optional<String> description = optionalString(map, "description", at);
      if (problems.size() == problemsBefore) {
        rules.add(new PolicyRule(id, kind, i, condition, route, review, description));
      }
    }
    return rules;
  }

  /**
   * A rule's CEL condition. YAML reads an unquoted {@code true} or {@code false} as a boolean,
   * which is also the CEL expression the author wrote, so it is taken as that expression.
   */
  private String condition(Object value, String path) {
    if (value instanceof Boolean literal) {
      return literal.toString();
    }
    if (value instanceof String text && !text.isBlank()) {
      return text;
    }
    problems.add(
        new Problem(
            path,
            value == null
                ? "is required: a CEL expression"
                : value instanceof String
                    ? "must not be blank: a CEL expression"
                    : "must be a CEL expression written as a string, or true or false"));
    return null;
  }

  /** Review, or one of the vocabulary's outcomes. */
  private Route route(Object value, String path) {
    if (value instanceof String name
        && (OutcomeVocabulary.REVIEW.equals(name) || vocabulary.contains(name))) {
      return new Route(name);
    }
    problems.add(new Problem(path, "must be review or one of " + vocabulary.outcomes()));
    return null;
  }

  /**
   * A guardrail never automates what the model proposes: it sends to review, or to the outcome the
   * policy deems safe without a human — reject in the demo vocabulary, otherwise {@code
   * onReviewTimeout}'s outcome.
   */
  private void guardrailRoute(RuleKind kind, Route route, String path) {
    if (kind != RuleKind.GUARDRAIL || route == null || !route.automated()) {
      return;
    }
    Route safe = vocabulary.isDefault() ? Route.REJECT : onReviewTimeout;
    if (!route.equals(safe)) {
      problems.add(
          new Problem(
              path,
              vocabulary.isDefault()
                  ? "a guardrail must not approve: review or reject"
                  : "a guardrail routes to review or to onReviewTimeout's outcome " + safe));
    }
  }

  private Optional<ReviewSettings> reviewFor(Route route, Object value, String path) {
    if (!Route.REVIEW.equals(route)) {
      if (value != null) {
        problems.add(new Problem(path, "review settings apply only to the review route"));
      }
      return Optional.empty();
    }
    return value == null ? Optional.of(DEFAULT_REVIEW) : review(value, path, DEFAULT_REVIEW);
  }

  /** Review settings; fields left out take their value from {@code defaults}. */
  private Optional<ReviewSettings> review(Object value, String path, ReviewSettings defaults) {
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(
          new Problem(path, "must be a mapping (queue, reviewers, sla, blind, reasonCodes)"));
      return Optional.empty();
    }
    unknownKeys(map, REVIEW_KEYS, path);
    String queue = map.containsKey("queue") ? identifier(map, "queue", path) : defaults.queue();
    int reviewers = defaults.reviewers();
    Object count = map.get("reviewers");
    if (count != null) {
      if (count instanceof Integer n && n >= 1 && n <= MAX_REVIEWERS) {
        reviewers = n;
      } else {
        problems.add(
            new Problem(path + ".reviewers", "must be an integer from 1 to " + MAX_REVIEWERS));
      }
    }
    Duration sla = defaults.sla();
    Object slaValue = map.get("sla");
    if (slaValue != null) {
      sla = duration(slaValue, path + ".sla");
    }
    boolean blind = defaults.blind();
    Object blindValue = map.get("blind");
    if (blindValue != null) {
      if (blindValue instanceof Boolean b) {
        blind = b;
      } else {
        problems.add(new Problem(path + ".blind", "must be true or false"));
      }
    }
    List<String> codes = defaults.reasonCodes();
    if (map.containsKey("reasonCodes")) {
      codes =
          ReasonCodeSection.reviewCodes(map.get("reasonCodes"), path + ".reasonCodes", problems);
      List<String> policyCodes = policyReasonCodes.stream().map(ReasonCode::code).toList();
      for (String code : codes) {
        if (!policyCodes.isEmpty() && !policyCodes.contains(code)) {
          problems.add(
              new Problem(
                  path + ".reasonCodes",
                  "'" + code + "' is not among the policy's reasonCodes " + policyCodes));
        }
      }
    }
    return sla == null
        ? Optional.empty()
        : Optional.of(new ReviewSettings(queue, reviewers, sla, blind, codes));
  }

  private Duration duration(Object value, String path) {
    try {
      Duration sla = Duration.parse(String.valueOf(value));
      if (!sla.isNegative() && !sla.isZero()) {
        return sla;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    problems.add(new Problem(path, "must be a positive ISO-8601 duration such as PT4H"));
    return null;
  }

  private DefaultRoute defaultRoute(Object value) {
    if (value == null) {
      return new DefaultRoute(Route.REVIEW, Optional.of(DEFAULT_REVIEW));
    }
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(new Problem("default", "must be a mapping with a route"));
      return new DefaultRoute(Route.REVIEW, Optional.of(DEFAULT_REVIEW));
    }
    unknownKeys(map, Set.of("route", "review"), "default");
    Route route =
        map.containsKey("route") ? route(map.get("route"), "default.route") : Route.REVIEW;
    if (route == null) {
      return new DefaultRoute(Route.REVIEW, Optional.of(DEFAULT_REVIEW));
    }
    Optional<ReviewSettings> review = reviewFor(route, map.get("review"), "default.review");
    return Route.REVIEW.equals(route) && review.isEmpty()
        ? new DefaultRoute(Route.REVIEW, Optional.of(DEFAULT_REVIEW))
        : new DefaultRoute(route, review);
  }

  private void unknownKeys(Map<?, ?> map, Set<String> known, String at) {
    for (Object key : map.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        problems.add(new Problem(join(at, String.valueOf(key)), "unknown field"));
      }
    }
  }

  private static String join(String at, String key) {
    return at.isEmpty() ? key : at + "." + key;
  }

  /**
   * SHA-256 of the canonical JSON of the document as parsed ({@link CanonicalJson}); a problem
   * instead when a string holds an unpaired surrogate (YAML and JSON let one through from an escape
   * such as <code>&#92;ud800</code>), which has no canonical form.
   */
  @SuppressWarnings("unchecked")
  private String contentHash(Map<?, ?> document) {
    try {
      return CanonicalJson.sha256(
          Jsonp.PROVIDER.createObjectBuilder((Map<String, Object>) document).build());
    } catch (UnpairedSurrogateException e) {
      problems.add(new Problem(e.field(), e.problem()));
      return "";
    }
  }
}
