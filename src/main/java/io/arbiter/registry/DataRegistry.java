package io.arbiter.registry;

import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.event.Jsonp;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.DataEntry.DataSource;
import io.arbiter.registry.DataEntry.Dataset;
import io.arbiter.registry.DataEntry.DatasetVersion;
import io.arbiter.registry.DataEntry.DatasetVersionRef;
import io.arbiter.registry.DataEntry.Feature;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data side of the registry: sources, datasets and their versions, and features. Entries are
 * immutable: registering the same document again answers the entry as it is, a different one under
 * the same key is a conflict. References must point at registered entries, so lineage never ends in
 * a name nobody described.
 */
public final class DataRegistry {

  private final EventLog log;
  private final Clock clock;
  private final IriScheme iris;
  private final Map<String, Map<String, Registration<DataEntry>>> entries =
      new ConcurrentHashMap<>();

  public DataRegistry(EventLog log, Clock clock, IriScheme iris) {
    this.log = log;
    this.clock = clock;
    this.iris = iris;
  }

  /** Loads the entries the graph holds. */
  public void start(List<RegistryRecords.RecordedEntry> history) {
    for (RegistryRecords.RecordedEntry e : history) {
      if (e.type().startsWith(DataEntry.Registered.PREFIX)
          && e.type().endsWith(DataEntry.Registered.SUFFIX)) {
        String kind =
            e.type()
                .substring(
                    DataEntry.Registered.PREFIX.length(),
                    e.type().length() - DataEntry.Registered.SUFFIX.length());
        var json = Jsonp.STRICT_READERS.createReader(new StringReader(e.document())).readObject();
        DataEntry entry = DataEntries.parse(kind, json);
        byKind(kind)
            .put(
                entry.key(),
                new Registration<>(entry, e.subjectIri(), e.actor(), e.time(), Optional.empty()));
      }
    }
  }

  /**
   * Records a new entry after checking what it refers to.
   *
   * @return the registration, and whether it is new (false: the same document was there already)
   */
  public synchronized Result register(DataEntry entry, String actor) {
    var existing = byKind(entry.kind()).get(entry.key());
    if (existing != null) {
      if (existing.value().document().equals(entry.document())) {
        return new Result(existing, false);
      }
      throw new ProblemException(
          ProblemType.STATE_CONFLICT,
          "A "
              + entry.kind()
              + " "
              + entry.key()
              + " is registered with a different document; entries are immutable, register a new"
              + " version or id.",
          List.of(new FieldError(keyField(entry), "already registered")));
    }
    checkReferences(entry);
    var event = new DataEntry.Registered(entry, actor, clock.instant(), iri(entry));
    RegistryLog.record(log, event);
    var registration =
        new Registration<>(
            entry,
            event.subjectIri(),
            actor,
            event.time(),
            Optional.<Registration.Approval>empty());
    byKind(entry.kind()).put(entry.key(), registration);
    return new Result(registration, true);
  }

  /** A registration, and whether this call made it. */
  public record Result(Registration<DataEntry> registration, boolean created) {}

  private static String keyField(DataEntry entry) {
    if (entry instanceof DatasetVersion) {
      return "version";
    }
    return entry instanceof Feature ? "name" : "id";
  }

  private String iri(DataEntry entry) {
    if (entry instanceof DataSource s) {
      return iris.source(s.id());
    } else if (entry instanceof Dataset d) {
      return iris.dataset(d.id());
    } else if (entry instanceof DatasetVersion v) {
      return iris.datasetVersion(v.ref().dataset(), v.ref().version());
    }
    return iris.feature(((Feature) entry).name());
  }

  private void checkReferences(DataEntry entry) {
    List<FieldError> errors = new ArrayList<>();
    if (entry instanceof DatasetVersion v) {
      if (dataset(v.ref().dataset()).isEmpty()) {
        errors.add(new FieldError("dataset", "no registered dataset " + v.ref().dataset()));
      }
      for (int i = 0; i < v.derivedFrom().size(); i++) {
        if (source(v.derivedFrom().get(i)).isEmpty()) {
          errors.add(
              new FieldError(
                  "derivedFrom[" + i + "]", "no registered source " + v.derivedFrom().get(i)));
        }
      }
    } else if (entry instanceof Feature f) {
      for (int i = 0; i < f.derivedFrom().size(); i++) {
        var ref = f.derivedFrom().get(i);
        var source = source(ref.source());
        if (source.isEmpty()) {
          errors.add(
              new FieldError(
                  "derivedFrom[" + i + "].source", "no registered source " + ref.source()));
        } else if (!((DataSource) source.get().value()).hasField(ref.field())) {
          errors.add(
              new FieldError(
                  "derivedFrom[" + i + "].field",
                  "source " + ref.source() + " has no field " + ref.field()));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "The " + entry.kind() + " refers to entries that are not registered.",
          errors);
    }
  }

  private Map<String, Registration<DataEntry>> byKind(String kind) {
    return entries.computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
  }

  public Optional<Registration<DataEntry>> find(String kind, String key) {
    return Optional.ofNullable(byKind(kind).get(key));
  }

  public Optional<Registration<DataEntry>> source(String id) {
    return find("source", id);
  }

  public Optional<Registration<DataEntry>> dataset(String id) {
    return find("dataset", id);
  }

  public Optional<Registration<DataEntry>> datasetVersion(DatasetVersionRef ref) {
    return find("dataset-version", ref.toString());
  }

  public Optional<Registration<DataEntry>> feature(String name) {
    return find("feature", name);
  }

  /** Every entry of a kind, sorted by key. */
  public List<Registration<DataEntry>> all(String kind) {
    Collection<Registration<DataEntry>> values = byKind(kind).values();
    return values.stream().sorted(java.util.Comparator.comparing(r -> r.value().key())).toList();
  }

  /** The versions of one dataset, sorted by version. */
  public List<Registration<DataEntry>> versionsOf(String dataset) {
    return all("dataset-version").stream()
        .filter(r -> ((DatasetVersion) r.value()).ref().dataset().equals(dataset))
        .toList();
  }
}
