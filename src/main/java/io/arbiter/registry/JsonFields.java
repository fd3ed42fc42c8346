package io.arbiter.registry;

import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the fields of one registry document, collecting every fault with its path so one answer
 * names them all. Call {@link #done()} after the last field: it throws if anything was wrong.
 */
final class JsonFields {

  private final JsonObject json;
  private final String prefix;
  private final List<FieldError> errors;

  private JsonFields(JsonObject json, String prefix, List<FieldError> errors) {
    this.json = json;
    this.prefix = prefix;
    this.errors = errors;
  }

  /** Reads {@code json}, refusing keys other than {@code allowed}. */
  static JsonFields of(JsonObject json, Set<String> allowed) {
    return nested(json, "", allowed, new ArrayList<>());
  }

  private static JsonFields nested(
      JsonObject json, String prefix, Set<String> allowed, List<FieldError> errors) {
    JsonFields fields = new JsonFields(json, prefix, errors);
    json.keySet().stream()
        .filter(key -> !allowed.contains(key))
        .sorted()
        .forEach(key -> fields.fault(key, "unknown field; expected one of " + sorted(allowed)));
    return fields;
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }

  void fault(String field, String message) {
    errors.add(new FieldError(prefix + field, message));
  }

  String path(String field) {
    return prefix + field;
  }

  /** A required plain name (an IRI path segment): {@link ModelVersionRef#NAME}. */
  String name(String field) {
    return name(field, true).orElse("");
  }

  Optional<String> name(String field, boolean required) {
    Optional<String> text = text(field, required);
    if (text.isPresent() && !ModelVersionRef.NAME.matcher(text.get()).matches()) {
      fault(field, "must match " + ModelVersionRef.NAME.pattern());
      return Optional.empty();
    }
    return text;
  }

  Optional<String> text(String field) {
    return text(field, false);
  }

  String requiredText(String field) {
    return text(field, true).orElse("");
  }

  private Optional<String> text(String field, boolean required) {
    JsonValue value = json.get(field);
    if (value == null || value == JsonValue.NULL) {
      if (required) {
        fault(field, "required");
      }
      return Optional.empty();
    }
    if (!(value instanceof JsonString s) || s.getString().isBlank()) {
      fault(field, "must be a non-empty string");
      return Optional.empty();
    }
    return Optional.of(s.getString());
  }

  Optional<String> matching(String field, Pattern pattern, boolean required) {
    Optional<String> text = text(field, required);
    if (text.isPresent() && !pattern.matcher(text.get()).matches()) {
      fault(field, "must match " + pattern.pattern());
      return Optional.empty();
    }
    return text;
  }

  Optional<Instant> time(String field) {
    Optional<String> text = text(field, false);
    try {
      return text.map(t -> OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException e) {
      fault(field, "must be an RFC 3339 date-time with offset, e.g. 2026-01-31T00:00:00Z");
      return Optional.empty();
    }
  }

  /** An optional {@code true} or {@code false}; absent is {@code absent}. */
  boolean flag(String field, boolean absent) {
    JsonValue value = json.get(field);
    if (value == null || value == JsonValue.NULL) {
      return absent;
    }
    if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
      fault(field, "must be true or false");
      return absent;
    }
    return value == JsonValue.TRUE;
  }

  /** Any JSON value, kept as it is (schemas, hyper-parameters). */
  Optional<JsonValue> any(String field) {
    JsonValue value = json.get(field);
    return value == null || value == JsonValue.NULL ? Optional.empty() : Optional.of(value);
  }

  /** An object read by {@code reader} with its own allowed keys. */
  <T> Optional<T> object(String field, Set<String> allowed, Function<JsonFields, T> reader) {
    JsonValue value = json.get(field);
    if (value == null || value == JsonValue.NULL) {
      return Optional.empty();
    }
    if (!(value instanceof JsonObject object)) {
      fault(field, "must be an object");
      return Optional.empty();
    }
    return Optional.of(reader.apply(nested(object, prefix + field + ".", allowed, errors)));
  }

  /** An array of plain names. */
  List<String> names(String field) {
    return array(field, (item, path) -> itemName(item, path));
  }

  private String itemName(JsonValue item, String path) {
    if (item instanceof JsonString s && ModelVersionRef.NAME.matcher(s.getString()).matches()) {
      return s.getString();
    }
    errors.add(new FieldError(path, "must be a string matching " + ModelVersionRef.NAME.pattern()));
    return null;
  }

  /** An array of objects, each read by {@code reader} with its own allowed keys. */
  <T> List<T> objects(String field, Set<String> allowed, Function<JsonFields, T> reader) {
    return array(
        field,
        (item, path) -> {
          if (!(item instanceof JsonObject object)) {
            errors.add(new FieldError(path, "must be an object"));
            return null;
          }
          return reader.apply(nested(object, path + ".", allowed, errors));
        });
  }

  private interface Item<T> {
    T read(JsonValue item, String path);
  }

  private <T> List<T> array(String field, Item<T> reader) {
    JsonValue value = json.get(field);
    if (value == null || value == JsonValue.NULL) {
      return List.of();
    }
    if (value.getValueType() != JsonValue.ValueType.ARRAY) {
      fault(field, "must be an array");
      return List.of();
    }
    List<T> items = new ArrayList<>();
    var array = value.asJsonArray();
    for (int i = 0; i < array.size(); i++) {
      T item = reader.read(array.get(i), prefix + field + "[" + i + "]");
      if (item != null) {
        items.add(item);
      }
    }
    return List.copyOf(items);
  }

  /** An object of name to finite number (evaluation metrics). */
  java.util.Map<String, Double> numbers(String field) {
    JsonValue value = json.get(field);
    java.util.Map<String, Double> numbers = new java.util.TreeMap<>();
    if (value == null || value == JsonValue.NULL) {
      return numbers;
    }
    if (!(value instanceof JsonObject object)) {
      fault(field, "must be an object of name to number");
      return numbers;
    }
    object.forEach(
        (name, v) -> {
          if (!ModelVersionRef.NAME.matcher(name).matches()) {
            fault(field + "." + name, "name must match " + ModelVersionRef.NAME.pattern());
          } else if (v instanceof JsonNumber n && Double.isFinite(n.doubleValue())) {
            numbers.put(name, n.doubleValue());
          } else {
            fault(field + "." + name, "must be a number");
          }
        });
    return numbers;
  }

  /** Throws {@code invalid-request} naming every field at fault, if any. */
  void done(String what) {
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "The " + what + " has invalid fields.", List.copyOf(errors));
    }
  }
}
