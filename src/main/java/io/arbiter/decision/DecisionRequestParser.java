package io.arbiter.decision;

import io.arbiter.event.CanonicalJson;
import io.arbiter.event.Jsonp;
import io.arbiter.event.UnpairedSurrogateException;
import io.arbiter.policy.PolicyParser;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.ModelVersionRef;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a request body into a {@link DecisionRequest}, or reports every field at fault. Strict on
 * purpose: unknown fields, {@code null}s and duplicate keys are refused, because a typo that is
 * silently ignored becomes a decision routed on the wrong facts.
 */
public final class DecisionRequestParser {

  public static final int MAX_TEXT = 4096;
  static final int MAX_ENTRIES = 256;
  static final int MAX_DEPTH = 16;

  /** What an input (and a context key) may be named. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");

  private static final Set<String> TOP =
      Set.of("model", "subject", "input", "output", "context", "tenant", "extensions");
  private static final Set<String> MODEL = Set.of("name", "version");
  private static final Set<String> OUTPUT = Set.of("label", "score", "confidence", "explanation");
  private static final Set<String> FEATURE = Set.of("value", "source");

  private final List<FieldError> errors = new ArrayList<>();

  private DecisionRequestParser() {}

  /**
   * @throws ProblemException {@code malformed-json} or {@code invalid-request}
   */
  public static DecisionRequest parse(byte[] body) {
    return new DecisionRequestParser().read(body);
  }

  private DecisionRequest read(byte[] body) {
    JsonValue root = readJson(body);
    try {
      // Before anything is read from it: such a string would make the request digest, the stored
      // bundle and its ledger entry fail or silently differ (UTF-8 has no form for it).
      CanonicalJson.requireWellFormed(root);
    } catch (UnpairedSurrogateException e) {
      throw invalid(List.of(new FieldError(e.field(), e.problem())));
    }
    if (!(root instanceof JsonObject object)) {
      throw invalid(List.of(new FieldError("", "the body must be a JSON object")));
    }
    unknown(object, TOP, "");
    ModelVersionRef model = model(object.get("model"));
    String subject = text(object.get("subject"), "subject", true);
    Map<String, FeatureValue> input = input(object.get("input"));
    ModelOutput output = output(object.get("output"));
    Map<String, Object> context = context(object.get("context"));
    Optional<String> tenant = Optional.empty();
    if (object.containsKey("tenant")) {
      String text = text(object.get("tenant"), "tenant", true);
      if (text != null && !PolicyParser.ID.matcher(text).matches()) {
        errors.add(new FieldError("tenant", "must match " + PolicyParser.ID.pattern()));
      }
      tenant = Optional.ofNullable(text);
    }
    Map<String, Object> extensions = extensions(object.get("extensions"));
    if (!errors.isEmpty()) {
      throw invalid(errors);
    }
    return new DecisionRequest(model, subject, input, output, context, tenant, extensions);
  }

  private static JsonValue readJson(byte[] body) {
    try (var reader = Jsonp.STRICT_READERS.createReader(new ByteArrayInputStream(body))) {
      return reader.readValue();
    } catch (JsonParsingException e) {
      var at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNumber() + ", column " + at.getColumnNumber();
      throw new ProblemException(
          ProblemType.MALFORMED_JSON, "The body is not valid JSON" + where + ".");
    } catch (RuntimeException e) {
      // JsonException for duplicate keys and empty bodies; JSON-P implementations also throw plain
      // runtime exceptions for absurd numbers or nesting. The library's text is not shown.
      throw new ProblemException(
          ProblemType.MALFORMED_JSON,
          "The body is not valid JSON (empty, truncated, a key given twice, or nested or sized"
              + " beyond reason).");
    }
  }

  private ModelVersionRef model(JsonValue value) {
    if (!(value instanceof JsonObject object)) {
      errors.add(
          new FieldError(
              "model", value == null ? "is required" : "must be an object with name and version"));
      return null;
    }
    unknown(object, MODEL, "model");
    String name = text(object.get("name"), "model.name", true);
    JsonValue versionValue = object.get("version");
    String version =
        versionValue instanceof JsonNumber number && number.isIntegral()
            ? number.bigIntegerValue().toString()
            : text(versionValue, "model.version", true);
    if (name != null && !ModelVersionRef.NAME.matcher(name).matches()) {
      errors.add(new FieldError("model.name", "must match " + ModelVersionRef.NAME.pattern()));
    }
    if (version != null && !ModelVersionRef.NAME.matcher(version).matches()) {
      errors.add(new FieldError("model.version", "must match " + ModelVersionRef.NAME.pattern()));
    }
    return name == null || version == null ? null : new ModelVersionRef(name, version);
  }

  private Map<String, FeatureValue> input(JsonValue value) {
    Map<String, FeatureValue> input = new LinkedHashMap<>();
    if (!(value instanceof JsonObject object)) {
      errors.add(
          new FieldError(
              "input",
              value == null ? "is required" : "must be an object of named feature values"));
      return input;
    }
    if (object.size() > MAX_ENTRIES) {
      errors.add(new FieldError("input", "has more than " + MAX_ENTRIES + " features"));
      return input;
    }
    for (var entry : object.entrySet()) {
      String path = "input." + entry.getKey();
      if (!NAME.matcher(entry.getKey()).matches()) {
        errors.add(new FieldError(path, "feature names must match " + NAME.pattern()));
        continue;
      }
      JsonValue feature = entry.getValue();
      Optional<String> source = Optional.empty();
      if (feature instanceof JsonObject wrapped && wrapped.containsKey("value")) {
        unknown(wrapped, FEATURE, path);
        feature = wrapped.get("value");
        if (wrapped.containsKey("source")) {
          source = Optional.ofNullable(text(wrapped.get("source"), path + ".source", true));
        }
        path = path + ".value";
      }
      Object plain = plain(feature, path, 0);
      if (plain != null) {
        input.put(entry.getKey(), new FeatureValue(plain, source));
      }
    }
    return input;
  }

  private ModelOutput output(JsonValue value) {
    if (!(value instanceof JsonObject object)) {
      errors.add(
          new FieldError(
              "output",
              value == null
                  ? "is required"
                  : "must be an object with label, score and confidence"));
      return null;
    }
    unknown(object, OUTPUT, "output");
    String label = text(object.get("label"), "output.label", true);
    Double score = number(object.get("score"), "output.score");
    Double confidence = number(object.get("confidence"), "output.confidence");
    if (confidence != null && (confidence < 0 || confidence > 1)) {
      errors.add(new FieldError("output.confidence", "must be between 0 and 1"));
    }
    Map<String, BigDecimal> explanation = new LinkedHashMap<>();
    JsonValue attributions = object.get("explanation");
    if (attributions != null) {
      if (attributions instanceof JsonObject weights && weights.size() <= MAX_ENTRIES) {
        weights.forEach(
            (feature, weight) -> {
              String path = "output.explanation." + feature;
              if (!NAME.matcher(feature).matches()) {
                errors.add(new FieldError(path, "feature names must match " + NAME.pattern()));
              } else if (weight instanceof JsonNumber n && Jsonp.saneNumber(n.bigDecimalValue())) {
                explanation.put(feature, n.bigDecimalValue());
              } else {
                errors.add(new FieldError(path, "must be a number (the feature's attribution)"));
              }
            });
      } else {
        errors.add(
            new FieldError(
                "output.explanation",
                "must be an object of feature attributions (at most " + MAX_ENTRIES + ")"));
      }
    }
    if (label == null || score == null || confidence == null) {
      return null;
    }
    return new ModelOutput(label, score, confidence, explanation);
  }

  private Map<String, Object> context(JsonValue value) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject object)) {
      errors.add(new FieldError("context", "must be an object"));
      return Map.of();
    }
    if (object.size() > MAX_ENTRIES) {
      errors.add(new FieldError("context", "has more than " + MAX_ENTRIES + " entries"));
      return Map.of();
    }
    Map<String, Object> context = new LinkedHashMap<>();
    object.forEach(
        (key, entry) -> {
          String path = "context." + key;
          if (!NAME.matcher(key).matches()) {
            errors.add(new FieldError(path, "keys must match " + NAME.pattern()));
            return;
          }
          Object plain = plain(entry, path, 0);
          if (plain != null) {
            context.put(key, plain);
          }
        });
    return context;
  }

  /**
   * Extension values: each a text, number or boolean, or an array of them (several values of one
   * property). Whether the key names a declared property, and whether the value fits its range, is
   * {@link DecisionExtensions}'s to say.
   */
  private Map<String, Object> extensions(JsonValue value) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject object) || object.size() > MAX_ENTRIES) {
      errors.add(
          new FieldError(
              "extensions",
              "must be an object of extension property to value (at most " + MAX_ENTRIES + ")"));
      return Map.of();
    }
    Map<String, Object> extensions = new LinkedHashMap<>();
    object.forEach(
        (key, entry) -> {
          String path = "extensions." + key;
          if (key.isBlank() || key.length() > MAX_TEXT) {
            errors.add(new FieldError(path, "must be a property IRI or prefixed name"));
            return;
          }
          boolean scalars =
              entry instanceof JsonArray array
                  ? !array.isEmpty()
                      && array.size() <= MAX_ENTRIES
                      && array.stream().allMatch(DecisionRequestParser::scalar)
                  : scalar(entry);
          if (!scalars) {
            errors.add(
                new FieldError(
                    path, "must be a string, number or boolean, or a non-empty array of them"));
            return;
          }
          Object plain = plain(entry, path, 0);
          if (plain != null) {
            extensions.put(key, plain);
          }
        });
    return extensions;
  }

  private static boolean scalar(JsonValue value) {
    return switch (value.getValueType()) {
      case STRING, NUMBER, TRUE, FALSE -> true;
      default -> false;
    };
  }

  /** A JSON value as plain Java, or null after recording why it is refused. */
  private Object plain(JsonValue value, String path, int depth) {
    if (depth > MAX_DEPTH) {
      errors.add(new FieldError(path, "is nested more than " + MAX_DEPTH + " levels deep"));
      return null;
    }
    switch (value.getValueType()) {
      case STRING:
        return text(value, path, false);
      case NUMBER:
        BigDecimal number = ((JsonNumber) value).bigDecimalValue();
        if (!Jsonp.saneNumber(number)) {
          errors.add(new FieldError(path, "is out of range"));
          return null;
        }
        return number;
      case TRUE:
        return Boolean.TRUE;
      case FALSE:
        return Boolean.FALSE;
      case ARRAY:
        JsonArray array = (JsonArray) value;
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
          items.add(plain(array.get(i), path + "[" + i + "]", depth + 1));
        }
        return items.contains(null) ? null : items;
      case OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        boolean ok = true;
        for (var entry : ((JsonObject) value).entrySet()) {
          Object item = plain(entry.getValue(), path + "." + entry.getKey(), depth + 1);
          ok &= item != null;
          map.put(entry.getKey(), item);
        }
        return ok ? map : null;
      default:
        errors.add(new FieldError(path, "must not be null: leave the field out instead"));
        return null;
    }
  }

  private String text(JsonValue value, String path, boolean required) {
    if (value == null) {
      if (required) {
        errors.add(new FieldError(path, "is required"));
      }
      return null;
    }
    if (!(value instanceof JsonString string)) {
      errors.add(new FieldError(path, "must be a string"));
      return null;
    }
    String text = string.getString();
    if (text.length() > MAX_TEXT) {
      errors.add(new FieldError(path, "is longer than " + MAX_TEXT + " characters"));
      return null;
    }
    if (required && text.isBlank()) {
      errors.add(new FieldError(path, "must not be blank"));
      return null;
    }
    return text;
  }

  private Double number(JsonValue value, String path) {
    if (value == null) {
      errors.add(new FieldError(path, "is required"));
      return null;
    }
    if (!(value instanceof JsonNumber number) || !Jsonp.saneNumber(number.bigDecimalValue())) {
      errors.add(new FieldError(path, "must be a number"));
      return null;
    }
    return number.doubleValue();
  }

  private void unknown(JsonObject object, Set<String> known, String at) {
    for (String key : object.keySet()) {
      if (!known.contains(key)) {
        errors.add(new FieldError(at.isEmpty() ? key : at + "." + key, "unknown field"));
      }
    }
  }

  private static ProblemException invalid(List<FieldError> errors) {
    return new ProblemException(
        ProblemType.INVALID_REQUEST,
        errors.size() == 1 ? "One field is invalid." : errors.size() + " fields are invalid.",
        errors);
  }
}
