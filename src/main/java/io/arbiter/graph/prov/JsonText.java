package io.arbiter.graph.prov;

import io.arbiter.event.Jsonp;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JSON-shaped Java values (maps, lists, BigDecimal, String, Boolean) to JSON text and back. */
final class JsonText {

  private JsonText() {}

  static String write(Object value) {
    return toJson(value).toString();
  }

  static Object read(String text) {
    try (var reader = Jsonp.PROVIDER.createReader(new StringReader(text))) {
      return fromJson(reader.readValue());
    }
  }

  /**
   * One top-level member of a JSON object's text, built alone: the parser steps over the other
   * members without building them (a context match needs a decision's context, not its inputs).
   *
   * @return empty when the object has no such member
   * @throws IllegalArgumentException when the text is not a JSON object, or the member is null
   * @throws jakarta.json.JsonException when it is not well-formed JSON
   */
  static Optional<Object> member(String text, String name) {
    try (JsonParser parser = Jsonp.PROVIDER.createParser(new StringReader(text))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      while (parser.next() == JsonParser.Event.KEY_NAME) {
        String key = parser.getString();
        JsonParser.Event value = parser.next();
        if (key.equals(name)) {
          return Optional.of(fromJson(parser.getValue()));
        }
        if (value == JsonParser.Event.START_OBJECT) {
          parser.skipObject();
        } else if (value == JsonParser.Event.START_ARRAY) {
          parser.skipArray();
        }
      }
      return Optional.empty();
    }
  }

  @SuppressWarnings("unchecked")
  private static JsonValue toJson(Object value) {
    if (value instanceof Map<?, ?> map) {
      return Jsonp.PROVIDER.createObjectBuilder((Map<String, Object>) map).build();
    }
    if (value instanceof Collection<?> list) {
      return Jsonp.PROVIDER.createArrayBuilder(list).build();
    }
    return Jsonp.PROVIDER.createArrayBuilder(List.of(value)).build().get(0);
  }

  static Object fromJson(JsonValue value) {
    return switch (value.getValueType()) {
      case STRING -> ((JsonString) value).getString();
      case NUMBER -> ((JsonNumber) value).bigDecimalValue();
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case ARRAY -> {
        List<Object> items = new ArrayList<>();
        for (JsonValue item : (JsonArray) value) {
          items.add(fromJson(item));
        }
        yield items;
      }
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        ((JsonObject) value).forEach((k, v) -> map.put(k, fromJson(v)));
        yield map;
      }
      case NULL -> throw new IllegalArgumentException("null is not a recorded value");
    };
  }
}
