package io.arbiter.policy.api;

import io.arbiter.event.Jsonp;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Puts the policy document's JSON Schema ({@code policy.schema.json}, which {@code GET
 * /api/v1/policies/schema} serves) into the OpenAPI document as {@code PolicyDocument}, so that
 * there is one source of truth for what a policy body may hold. Its {@code $defs} become components
 * of their own ({@code identifier} as {@code PolicyIdentifier}, …) and its references follow them:
 * code generators resolve {@code #/components/schemas/…} but not a nested {@code $id} base. Boolean
 * subschemas, valid in JSON Schema 2020-12, take their object forms ({@code {}} and {@code {"not":
 * {}}}), which more tools read; {@code additionalProperties: false} stays as it is.
 */
public final class PolicySchemaFilter implements OASFilter {

  /** The component that request bodies of {@code POST /api/v1/policies} refer to. */
  public static final String NAME = "PolicyDocument";

  private static final String DEFS = "#/$defs/";
  private static final Set<String> SCHEMA_VALUED =
      Set.of("items", "additionalProperties", "not", "if", "then", "else", "propertyNames");
  private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties");
  private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "oneOf", "anyOf", "prefixItems");
  // Meaningful only at the root of a schema resource; inside an OpenAPI document they would move
  // the base of every reference below them.
  private static final Set<String> DROPPED = Set.of("$schema", "$id", "$defs");
  // Non-negative integers in JSON Schema; the OpenAPI model (and Liberty's validator, which logged
  // an error at every start) wants them as Integer, not the BigDecimal a JSON number reads as.
  private static final Set<String> COUNTS =
      Set.of("minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties");

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    JsonObject schema = read();
    if (openAPI.getComponents() == null) {
      openAPI.setComponents(OASFactory.createComponents());
    }
    var components = openAPI.getComponents();
    addOnce(components, NAME, schema(schema));
    JsonObject defs = schema.getJsonObject("$defs");
    if (defs != null) {
      defs.forEach(
          (name, def) -> addOnce(components, componentName(name), schema(def.asJsonObject())));
    }
  }

  /**
   * A view's {@code @Schema(name = …)} of the same name would be silently replaced, and every
   * answer that refers to it described by the policy schema's definition instead (a generated
   * client then refuses the answer): the view must take another name.
   */
  private static void addOnce(
      org.eclipse.microprofile.openapi.models.Components components, String name, Schema schema) {
    if (components.getSchemas() != null && components.getSchemas().containsKey(name)) {
      throw new IllegalStateException(
          "Schema component " + name + " is named by an annotation and by the policy schema");
    }
    components.addSchema(name, schema);
  }

  static String componentName(String def) {
    return "Policy" + def.substring(0, 1).toUpperCase(Locale.ROOT) + def.substring(1);
  }

  private static JsonObject read() {
    try (InputStream in = PolicySchemaFilter.class.getResourceAsStream(PolicyResource.SCHEMA);
        var reader = Jsonp.PROVIDER.createReader(in)) {
      return reader.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Schema schema(JsonObject json) {
    Schema schema = OASFactory.createSchema();
    json.forEach(
        (key, value) -> {
          if (DROPPED.contains(key)) {
            return;
          }
          if (key.equals("$ref")) {
            String ref = ((JsonString) value).getString();
            schema.set(
                "$ref",
                ref.startsWith(DEFS)
                    ? "#/components/schemas/" + componentName(ref.substring(DEFS.length()))
                    : ref);
          } else if (SCHEMA_MAPS.contains(key)) {
            Map<String, Object> map = new LinkedHashMap<>();
            value.asJsonObject().forEach((name, v) -> map.put(name, subschema(v, true)));
            schema.set(key, map);
          } else if (COUNTS.contains(key) && value instanceof JsonNumber count) {
            schema.set(key, count.intValueExact());
          } else if (SCHEMA_LISTS.contains(key)) {
            List<Object> list = new ArrayList<>();
            value.asJsonArray().forEach(v -> list.add(subschema(v, true)));
            schema.set(key, list);
          } else {
            schema.set(
                key,
                key.equals("additionalProperties")
                    ? value(value, true)
                    : subschema(value, SCHEMA_VALUED.contains(key)));
          }
        });
    return schema;
  }

  /** {@link #value}, with a boolean schema in its object form. */
  private static Object subschema(JsonValue json, boolean isSchema) {
    if (isSchema && json.getValueType() == JsonValue.ValueType.TRUE) {
      return OASFactory.createSchema();
    }
    if (isSchema && json.getValueType() == JsonValue.ValueType.FALSE) {
      return OASFactory.createSchema().not(OASFactory.createSchema());
    }
    return value(json, isSchema);
  }

  /** A JSON value as the OpenAPI model holds it: schemas where a schema is expected. */
  private static Object value(JsonValue json, boolean isSchema) {
    return switch (json.getValueType()) {
      case OBJECT -> isSchema ? schema(json.asJsonObject()) : plainObject(json.asJsonObject());
      case ARRAY -> plainList((JsonArray) json);
      case STRING -> ((JsonString) json).getString();
      case NUMBER -> ((JsonNumber) json).bigDecimalValue();
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case NULL -> null;
    };
  }

  private static Map<String, Object> plainObject(JsonObject json) {
    Map<String, Object> map = new LinkedHashMap<>();
    json.forEach((k, v) -> map.put(k, value(v, false)));
    return map;
  }

  private static List<Object> plainList(JsonArray json) {
    List<Object> list = new ArrayList<>();
    json.forEach(v -> list.add(value(v, false)));
    return list;
  }
}
