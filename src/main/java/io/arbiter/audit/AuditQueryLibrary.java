package io.arbiter.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit queries the application ships ({@code ontology/queries/library.txt} and the files it
 * lists), read once. A query with a broken header stops start-up, naming the file.
 */
public final class AuditQueryLibrary {

  static final String FOLDER = "ontology/queries/";

  private final Map<String, AuditQuery> queries;

  public AuditQueryLibrary(List<AuditQuery> queries) {
    Map<String, AuditQuery> byName = new LinkedHashMap<>();
    for (AuditQuery query : queries) {
      if (byName.put(query.name(), query) != null) {
        throw new IllegalArgumentException("two audit queries are named " + query.name());
      }
    }
    this.queries = java.util.Collections.unmodifiableMap(byName);
  }

  /** The library bundled with the application, read from the class path. */
  public static AuditQueryLibrary bundled() {
    ClassLoader loader = AuditQueryLibrary.class.getClassLoader();
    String index = read(loader, FOLDER + "library.txt");
    return new AuditQueryLibrary(
        index
            .lines()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .map(file -> AuditQueryParser.parse(file, read(loader, FOLDER + file)))
            .toList());
  }

  /**
   * This library followed by the extension queries ({@code *.rq} of the ontology extensions
   * folder), in the order given.
   *
   * @throws IllegalStateException naming the file whose header is broken or whose name is taken
   */
  public AuditQueryLibrary with(List<io.arbiter.config.SeedFile> extensionQueries) {
    List<AuditQuery> all = new java.util.ArrayList<>(queries.values());
    for (var file : extensionQueries) {
      String baseName = java.nio.file.Path.of(file.name()).getFileName().toString();
      AuditQuery query;
      try {
        query = AuditQueryParser.parse(baseName, file.text());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "extension audit query " + file.name() + ": " + e.getMessage(), e);
      }
      if (all.stream().anyMatch(q -> q.name().equals(query.name()))) {
        throw new IllegalStateException(
            "extension audit query "
                + file.name()
                + ": another audit query is named "
                + query.name());
      }
      all.add(query);
    }
    return new AuditQueryLibrary(all);
  }

  public List<AuditQuery> all() {
    return List.copyOf(queries.values());
  }

  public Optional<AuditQuery> find(String name) {
    return Optional.ofNullable(queries.get(name));
  }

  private static String read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("bundled audit query resource " + resource + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
