package io.arbiter.policy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a policy may look at, fixed at submission and recorded with the decision, so that
 * evaluating the same facts with the same policy version always gives the same answer.
 *
 * <p>Values are JSON-shaped Java values: {@link java.math.BigDecimal} for numbers, {@link String},
 * {@link Boolean}, {@link java.util.List} and {@link Map}; never {@code null}.
 *
 * @param input named feature values, as sent
 * @param context free-form request context (amount, region, ...)
 * @param drift the model version's drift as last assessed, derived by Arbiter at intake
 * @param modelRegistered whether the model version was registered at intake; a policy fails safe on
 *     a version that was not, so replay gives the same answer whatever is registered later
 */
public record Facts(
    String modelName,
    String modelVersion,
    Map<String, Object> input,
    String label,
    double score,
    double confidence,
    Map<String, Object> context,
    DriftFacts drift,
    boolean modelRegistered,
    boolean modelUnapproved) {

  public Facts {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(modelVersion, "modelVersion");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(drift, "drift");
    input = Map.copyOf(input);
    context = Map.copyOf(context);
  }

  /** Facts of a model version without drift figures (none registered or assessed). */
  public Facts(
      String modelName,
      String modelVersion,
      Map<String, Object> input,
      String label,
      double score,
      double confidence,
      Map<String, Object> context) {
    this(
        modelName,
        modelVersion,
        input,
        label,
        score,
        confidence,
        context,
        DriftFacts.NONE,
        true,
        false);
  }

  public Facts withDrift(DriftFacts drift) {
    return new Facts(
        modelName,
        modelVersion,
        input,
        label,
        score,
        confidence,
        context,
        drift,
        modelRegistered,
        modelUnapproved);
  }

  public Facts withModelRegistered(boolean registered) {
    return new Facts(
        modelName,
        modelVersion,
        input,
        label,
        score,
        confidence,
        context,
        drift,
        registered,
        modelUnapproved);
  }

  public Facts withModelUnapproved(boolean unapproved) {
    return new Facts(
        modelName,
        modelVersion,
        input,
        label,
        score,
        confidence,
        context,
        drift,
        modelRegistered,
        unapproved);
  }

  /**
   * The facts as one JSON-shaped document, keys sorted and numbers as {@link BigDecimal}: how they
   * are pinned whole beside a decision's triples, so a backtest reads one value per decision.
   * {@link #fromDocument} reads it back to equal facts.
   */
  public Map<String, Object> document() {
    Map<String, Object> document = new TreeMap<>();
    Map<String, Object> model = new TreeMap<>();
    model.put("name", modelName);
    model.put("version", modelVersion);
    document.put("model", model);
    document.put("input", sorted(input));
    Map<String, Object> output = new TreeMap<>();
    output.put("label", label);
    output.put("score", BigDecimal.valueOf(score));
    output.put("confidence", BigDecimal.valueOf(confidence));
    document.put("output", output);
    document.put("context", sorted(context));
    Map<String, Object> driftDocument = new TreeMap<>();
    drift.alarm().ifPresent(alarm -> driftDocument.put("alarm", alarm));
    driftDocument.put("psi", decimals(drift.psi()));
    driftDocument.put("ks", decimals(drift.ks()));
    document.put("drift", driftDocument);
    document.put("modelRegistered", modelRegistered);
    if (modelUnapproved) {
      // Only the exception is written, so documents pinned before approval could be required read
      // back unchanged.
      document.put("modelUnapproved", true);
    }
    return document;
  }

  /**
   * Facts from a {@link #document()} read back as JSON-shaped values.
   *
   * @throws IllegalArgumentException when it is not such a document
   */
  public static Facts fromDocument(Map<?, ?> document) {
    try {
      return read(document);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("pinned facts: a value of the wrong type", e);
    }
  }

  private static Facts read(Map<?, ?> document) {
    Map<?, ?> model = field(document, "model", Map.class);
    Map<?, ?> output = field(document, "output", Map.class);
    Map<?, ?> drift = field(document, "drift", Map.class);
    return new Facts(
        field(model, "name", String.class),
        field(model, "version", String.class),
        strings(field(document, "input", Map.class)),
        field(output, "label", String.class),
        field(output, "score", BigDecimal.class).doubleValue(),
        field(output, "confidence", BigDecimal.class).doubleValue(),
        strings(field(document, "context", Map.class)),
        new DriftFacts(
            Optional.ofNullable(drift.get("alarm")).map(String.class::cast),
            doubles(field(drift, "psi", Map.class)),
            doubles(field(drift, "ks", Map.class))),
        field(document, "modelRegistered", Boolean.class),
        document.containsKey("modelUnapproved")
            && field(document, "modelUnapproved", Boolean.class));
  }

  /** JSON-shaped values with every object's keys sorted, however deep, so the text is canonical. */
  @SuppressWarnings("unchecked")
  private static <T> T sorted(T value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> keyed = new TreeMap<>();
      map.forEach((key, item) -> keyed.put((String) key, sorted(item)));
      return (T) keyed;
    }
    if (value instanceof java.util.List<?> list) {
      return (T) list.stream().map(Facts::sorted).toList();
    }
    return value;
  }

  private static Map<String, Object> decimals(Map<String, Double> values) {
    Map<String, Object> decimals = new TreeMap<>();
    values.forEach((key, value) -> decimals.put(key, BigDecimal.valueOf(value)));
    return decimals;
  }

  private static Map<String, Double> doubles(Map<?, ?> values) {
    Map<String, Double> doubles = new TreeMap<>();
    values.forEach((key, value) -> doubles.put((String) key, ((BigDecimal) value).doubleValue()));
    return doubles;
  }

  private static Map<String, Object> strings(Map<?, ?> values) {
    Map<String, Object> keyed = new TreeMap<>();
    values.forEach((key, value) -> keyed.put((String) key, value));
    return keyed;
  }

  private static <T> T field(Map<?, ?> document, String key, Class<T> type) {
    Object value = document.get(key);
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          "pinned facts: " + key + " is not a " + type.getSimpleName());
    }
    return type.cast(value);
  }
}
