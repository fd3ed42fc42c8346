package io.arbiter.drift;

import io.arbiter.event.Jsonp;
import io.arbiter.policy.DriftFacts;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.ModelVersionRef;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reference profile as JSON, the same in the API and in the graph:
 *
 * <pre>{"inputs": {"amount": {"type": "histogram", "edges": [0, 1000, 5000], "counts": [70, 30]},
 *             "region": {"type": "categorical", "counts": {"EU": 60, "US": 40}}},
 *  "score": {"type": "histogram", "edges": [0, 0.5, 1], "counts": [50, 50]}}</pre>
 *
 * Counts may be counts or shares; only their proportions matter.
 */
public final class ReferenceJson {

  static final int MAX_DISTRIBUTIONS = 256;
  static final int MAX_BUCKETS = 1000;
  private static final String HISTOGRAM = "histogram";
  private static final String CATEGORICAL = "categorical";

  private ReferenceJson() {}

  /**
   * @throws ProblemException {@code invalid-request} naming every field at fault
   */
  public static ReferenceProfile parse(ModelVersionRef model, JsonObject json) {
    List<FieldError> errors = new ArrayList<>();
    for (String key : json.keySet()) {
      if (!Set.of("inputs", "score").contains(key)) {
        errors.add(new FieldError(key, "unknown field; expected inputs and score"));
      }
    }
    Map<String, Distribution> distributions = new LinkedHashMap<>();
    JsonValue inputs = json.get("inputs");
    if (inputs instanceof JsonObject object) {
      object.forEach(
          (name, value) -> {
            // The score has its own key: an input of that name would take its place.
            if (name.equals(DriftFacts.SCORE)
                || !io.arbiter.decision.DecisionRequestParser.NAME.matcher(name).matches()) {
              errors.add(
                  new FieldError(
                      "inputs." + name,
                      "not an input name: must match "
                          + io.arbiter.decision.DecisionRequestParser.NAME.pattern()
                          + " and not be "
                          + DriftFacts.SCORE));
              return;
            }
            distribution("inputs." + name, value, errors)
                .ifPresent(d -> distributions.put(name, d));
          });
    } else if (inputs != null) {
      errors.add(new FieldError("inputs", "must be an object of input name to distribution"));
    }
    if (json.containsKey("score")) {
      distribution("score", json.get("score"), errors)
          .ifPresent(
              d -> {
                if (d.ordered()) {
                  distributions.put(DriftFacts.SCORE, d);
                } else {
                  errors.add(new FieldError("score.type", "the score's reference is a histogram"));
                }
              });
    }
    if (distributions.isEmpty() && errors.isEmpty()) {
      errors.add(new FieldError("inputs", "give at least one input or the score"));
    }
    if (distributions.size() > MAX_DISTRIBUTIONS) {
      errors.add(new FieldError("inputs", "at most " + MAX_DISTRIBUTIONS + " distributions"));
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "The reference profile is invalid.", errors);
    }
    return new ReferenceProfile(model, distributions);
  }

  /** Parses JSON text written by {@link #write}. */
  public static ReferenceProfile read(ModelVersionRef model, String text) {
    try (var reader = Jsonp.PROVIDER.createReader(new StringReader(text))) {
      return parse(model, reader.readObject());
    }
  }

  public static JsonObject toJson(ReferenceProfile profile) {
    JsonObjectBuilder inputs = Jsonp.PROVIDER.createObjectBuilder();
    JsonObjectBuilder root = Jsonp.PROVIDER.createObjectBuilder();
    profile
        .distributions()
        .forEach(
            (name, distribution) -> {
              if (name.equals(DriftFacts.SCORE)) {
                root.add("score", toJson(distribution));
              } else {
                inputs.add(name, toJson(distribution));
              }
            });
    return root.add("inputs", inputs).build();
  }

  public static String write(ReferenceProfile profile) {
    return toJson(profile).toString();
  }

  private static JsonObject toJson(Distribution distribution) {
    JsonObjectBuilder json = Jsonp.PROVIDER.createObjectBuilder();
    if (distribution instanceof Distribution.Histogram h) {
      JsonArrayBuilder edges = Jsonp.PROVIDER.createArrayBuilder();
      h.edges().forEach(edges::add);
      JsonArrayBuilder counts = Jsonp.PROVIDER.createArrayBuilder();
      h.counts().forEach(counts::add);
      return json.add("type", HISTOGRAM).add("edges", edges).add("counts", counts).build();
    }
    Distribution.Categorical c = (Distribution.Categorical) distribution;
    JsonObjectBuilder counts = Jsonp.PROVIDER.createObjectBuilder();
    c.counts().forEach(counts::add);
    return json.add("type", CATEGORICAL).add("counts", counts).build();
  }

  private static java.util.Optional<Distribution> distribution(
      String at, JsonValue value, List<FieldError> errors) {
    int before = errors.size();
    if (!(value instanceof JsonObject json)) {
      errors.add(new FieldError(at, "must be an object with type and counts"));
      return java.util.Optional.empty();
    }
    String type = json.get("type") instanceof JsonString s ? s.getString() : "";
    for (String key : json.keySet()) {
      boolean known =
          key.equals("type")
              || key.equals("counts")
              || (key.equals("edges") && type.equals(HISTOGRAM));
      if (!known) {
        errors.add(new FieldError(at + "." + key, "unknown field"));
      }
    }
    switch (type) {
      case HISTOGRAM -> {
        List<Double> edges = numbers(at + ".edges", json.get("edges"), errors);
        List<Double> counts = numbers(at + ".counts", json.get("counts"), errors);
        if (errors.size() > before) {
          return java.util.Optional.empty();
        }
        for (int i = 0; i < edges.size(); i++) {
          if (!Double.isFinite(edges.get(i)) || (i > 0 && edges.get(i) <= edges.get(i - 1))) {
            errors.add(new FieldError(at + ".edges", "must be finite and strictly ascending"));
            return java.util.Optional.empty();
          }
        }
        if (edges.size() < 2 || edges.size() > MAX_BUCKETS + 1) {
          errors.add(new FieldError(at + ".edges", "needs 2 to " + (MAX_BUCKETS + 1) + " edges"));
        } else if (counts.size() != edges.size() - 1) {
          errors.add(
              new FieldError(at + ".counts", "needs one count per bin: " + (edges.size() - 1)));
        }
        checkCounts(at + ".counts", counts, errors);
        return errors.size() > before
            ? java.util.Optional.empty()
            : java.util.Optional.of(new Distribution.Histogram(edges, counts));
      }
      case CATEGORICAL -> {
        if (!(json.get("counts") instanceof JsonObject object) || object.isEmpty()) {
          errors.add(new FieldError(at + ".counts", "must be an object of category to count"));
          return java.util.Optional.empty();
        }
        if (object.size() > MAX_BUCKETS) {
          errors.add(new FieldError(at + ".counts", "at most " + MAX_BUCKETS + " categories"));
        }
        Map<String, Double> counts = new LinkedHashMap<>();
        object.forEach(
            (category, count) -> {
              if (count instanceof JsonNumber n) {
                counts.put(category, n.doubleValue());
              } else {
                errors.add(new FieldError(at + ".counts." + category, "must be a number"));
              }
            });
        checkCounts(at + ".counts", List.copyOf(counts.values()), errors);
        return errors.size() > before
            ? java.util.Optional.empty()
            : java.util.Optional.of(new Distribution.Categorical(counts));
      }
      default -> {
        errors.add(new FieldError(at + ".type", "must be histogram or categorical"));
        return java.util.Optional.empty();
      }
    }
  }

  private static List<Double> numbers(String at, JsonValue value, List<FieldError> errors) {
    if (!(value instanceof JsonArray array)) {
      errors.add(new FieldError(at, "must be an array of numbers"));
      return List.of();
    }
    List<Double> numbers = new ArrayList<>();
    for (JsonValue item : array) {
      if (!(item instanceof JsonNumber n)) {
        errors.add(new FieldError(at, "must be an array of numbers"));
        return List.of();
      }
      numbers.add(n.doubleValue());
    }
    return numbers;
  }

  private static void checkCounts(String at, List<Double> counts, List<FieldError> errors) {
    double total = 0;
    for (double c : counts) {
      if (!Double.isFinite(c) || c < 0) {
        errors.add(new FieldError(at, "counts must be finite and not negative"));
        return;
      }
      total += c;
    }
    if (!counts.isEmpty() && !(total > 0)) {
      errors.add(new FieldError(at, "counts must not all be zero"));
    }
  }
}
