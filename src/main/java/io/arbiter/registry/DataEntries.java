package io.arbiter.registry;

import io.arbiter.registry.DataEntry.DataSource;
import io.arbiter.registry.DataEntry.Dataset;
import io.arbiter.registry.DataEntry.DatasetVersion;
import io.arbiter.registry.DataEntry.DatasetVersionRef;
import io.arbiter.registry.DataEntry.Feature;
import io.arbiter.registry.DataEntry.SourceField;
import io.arbiter.registry.DataEntry.SourceFieldRef;
import jakarta.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads registry documents (the API's request bodies, and the documents kept in the graph) into
 * entries. Reading is strict: unknown fields and ill-formed values are refused, each named.
 */
public final class DataEntries {

  /** {@code sha256:} and 64 lower-case hex digits. */
  public static final Pattern CONTENT_HASH = Pattern.compile("sha256:[0-9a-f]{64}");

  private DataEntries() {}

  /** Reads a document of {@code kind} ({@link DataEntry#kind()}). */
  public static DataEntry parse(String kind, JsonObject json) {
    return switch (kind) {
      case "source" -> source(json);
      case "dataset" -> dataset(json);
      case "dataset-version" -> datasetVersion(json);
      case "feature" -> feature(json);
      default -> throw new IllegalArgumentException("no registry kind " + kind);
    };
  }

  public static DataSource source(JsonObject json) {
    JsonFields f = JsonFields.of(json, Set.of("id", "title", "description", "owner", "fields"));
    var source =
        new DataSource(
            f.name("id"),
            f.requiredText("title"),
            f.text("description"),
            f.text("owner"),
            f.objects(
                "fields",
                Set.of("name", "type", "description"),
                field ->
                    new SourceField(
                        field.name("name"), field.text("type"), field.text("description"))),
            json);
    long distinct = source.fields().stream().map(SourceField::name).distinct().count();
    if (distinct != source.fields().size()) {
      f.fault("fields", "field names must be unique");
    }
    f.done("data source");
    return source;
  }

  public static Dataset dataset(JsonObject json) {
    JsonFields f = JsonFields.of(json, Set.of("id", "title", "description", "owner"));
    var dataset =
        new Dataset(
            f.name("id"), f.requiredText("title"), f.text("description"), f.text("owner"), json);
    f.done("dataset");
    return dataset;
  }

  public static DatasetVersion datasetVersion(JsonObject json) {
    JsonFields f =
        JsonFields.of(
            json,
            Set.of(
                "dataset",
                "version",
                "contentHash",
                "schema",
                "coverage",
                "derivedFrom",
                "createdAt"));
    var ref = new DatasetVersionRef(f.name("dataset"), f.name("version"));
    String hash = f.matching("contentHash", CONTENT_HASH, true).orElse("");
    var schema = f.any("schema");
    var coverage =
        f.object(
            "coverage",
            Set.of("from", "to"),
            c -> {
              var from = c.time("from");
              var to = c.time("to");
              if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
                c.fault("to", "must not be before from");
              }
              return new java.time.Instant[] {from.orElse(null), to.orElse(null)};
            });
    var version =
        new DatasetVersion(
            ref,
            hash,
            schema,
            coverage.map(c -> c[0]).flatMap(java.util.Optional::ofNullable),
            coverage.map(c -> c[1]).flatMap(java.util.Optional::ofNullable),
            f.names("derivedFrom"),
            f.time("createdAt"),
            json);
    f.done("dataset version");
    return version;
  }

  public static Feature feature(JsonObject json) {
    JsonFields f = JsonFields.of(json, Set.of("name", "definition", "type", "derivedFrom"));
    var feature =
        new Feature(
            f.name("name"),
            f.requiredText("definition"),
            f.text("type"),
            f.objects(
                "derivedFrom",
                Set.of("source", "field"),
                from -> new SourceFieldRef(from.name("source"), from.name("field"))),
            json);
    f.done("feature");
    return feature;
  }
}
