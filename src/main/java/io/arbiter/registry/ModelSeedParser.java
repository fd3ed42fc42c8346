package io.arbiter.registry;

import io.arbiter.config.ConfigYaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a model seed file (YAML or JSON): {@code name}, {@code version}, optional {@code
 * description} and {@code owner}. Seeds let a deployment register its models at start-up until the
 * registry API exists.
 */
public final class ModelSeedParser {

  private static final Set<String> KEYS = Set.of("name", "version", "description", "owner");

  private ModelSeedParser() {}

  public static ModelVersion parse(String sourceName, String text) {
    Map<?, ?> map = ConfigYaml.mapping("model seed", sourceName, text);
    List<String> problems = new ArrayList<>();
    map.keySet().stream()
        .map(String::valueOf)
        .filter(key -> !KEYS.contains(key))
        .forEach(key -> problems.add(key + ": unknown field"));
    String name = plain(map.get("name"), "name", problems);
    String version = plain(map.get("version"), "version", problems);
    Optional<String> description = text(map.get("description"), "description", problems);
    Optional<String> owner = text(map.get("owner"), "owner", problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "model seed " + sourceName + " is invalid: " + String.join("; ", problems));
    }
    return new ModelVersion(new ModelVersionRef(name, version), description, owner);
  }

  private static String plain(Object value, String field, List<String> problems) {
    String text =
        value instanceof String || value instanceof Integer || value instanceof Long
            ? value.toString()
            : null;
    if (text == null || !ModelVersionRef.NAME.matcher(text).matches()) {
      problems.add(field + ": required, matching " + ModelVersionRef.NAME.pattern());
      return "";
    }
    return text;
  }

  private static Optional<String> text(Object value, String field, List<String> problems) {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String s) {
      return Optional.of(s);
    }
    problems.add(field + ": must be a string");
    return Optional.empty();
  }
}
