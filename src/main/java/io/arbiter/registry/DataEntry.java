package io.arbiter.registry;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the registry knows about the data models learn from: sources, datasets and their versions,
 * and features. Each entry is immutable once registered, and is kept in the graph with the JSON
 * document it was registered from, so it reads back exactly.
 */
public sealed interface DataEntry
    permits DataEntry.DataSource, DataEntry.Dataset, DataEntry.DatasetVersion, DataEntry.Feature {

  /** The kind, as in event types and problem details: {@code source}, {@code dataset}, ... */
  String kind();

  /** The identifier within its kind: {@code bureau}, {@code loans/3}. */
  String key();

  /** The registered document, as it was accepted (and as the API answers it). */
  JsonObject document();

  /** A system or feed data comes from, with the fields it supplies. */
  record DataSource(
      String id,
      String title,
      Optional<String> description,
      Optional<String> owner,
      List<SourceField> fields,
      JsonObject document)
      implements DataEntry {
    public DataSource {
      Objects.requireNonNull(id, "id");
      fields = List.copyOf(fields);
    }

    @Override
    public String kind() {
      return "source";
    }

    @Override
    public String key() {
      return id;
    }

    public boolean hasField(String name) {
      return fields.stream().anyMatch(f -> f.name().equals(name));
    }
  }

  /** One field a source supplies. */
  record SourceField(String name, Optional<String> type, Optional<String> description) {}

  /** A field of a registered source, as features name what they derive from. */
  record SourceFieldRef(String source, String field) {}

  /** A named collection of data, of which versions are registered. */
  record Dataset(
      String id,
      String title,
      Optional<String> description,
      Optional<String> owner,
      JsonObject document)
      implements DataEntry {
    @Override
    public String kind() {
      return "dataset";
    }

    @Override
    public String key() {
      return id;
    }
  }

  /** A dataset version by dataset id and version. */
  record DatasetVersionRef(String dataset, String version) {
    @Override
    public String toString() {
      return dataset + "/" + version;
    }
  }

  /**
   * One immutable version of a dataset.
   *
   * @param contentHash digest of its content, {@code sha256:<hex>}
   * @param schema its schema, in whatever JSON form the team uses
   * @param coverageStart start of the time range the data covers
   * @param derivedFrom the sources it was built from
   * @param createdAt when it was built; training that used it must start after
   */
  record DatasetVersion(
      DatasetVersionRef ref,
      String contentHash,
      Optional<JsonValue> schema,
      Optional<Instant> coverageStart,
      Optional<Instant> coverageEnd,
      List<String> derivedFrom,
      Optional<Instant> createdAt,
      JsonObject document)
      implements DataEntry {
    public DatasetVersion {
      derivedFrom = List.copyOf(derivedFrom);
    }

    @Override
    public String kind() {
      return "dataset-version";
    }

    @Override
    public String key() {
      return ref.toString();
    }
  }

  /** A feature: how a model input is computed, and from which source fields. */
  record Feature(
      String name,
      String definition,
      Optional<String> type,
      List<SourceFieldRef> derivedFrom,
      JsonObject document)
      implements DataEntry {
    public Feature {
      derivedFrom = List.copyOf(derivedFrom);
    }

    @Override
    public String kind() {
      return "feature";
    }

    @Override
    public String key() {
      return name;
    }
  }

  /** The event that records an entry ({@code registry.<kind>-registered}). */
  record Registered(DataEntry entry, String actor, Instant time, String subjectIri)
      implements io.arbiter.event.DomainEvent {
    public static final String PREFIX = "registry.";
    public static final String SUFFIX = "-registered";

    @Override
    public String type() {
      return PREFIX + entry.kind() + SUFFIX;
    }
  }
}
