package io.arbiter.registry;

import java.util.Objects;
import java.util.regex.Pattern;

/** A model version by name and version, e.g. {@code demo-credit} version {@code 1}. */
public record ModelVersionRef(String name, String version) {

  /** Names and versions become IRI path segments and CEL strings: keep them plain. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public ModelVersionRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
  }

  @Override
  public String toString() {
    return name + " version " + version;
  }
}
