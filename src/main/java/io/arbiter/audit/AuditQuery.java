package io.arbiter.audit;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A named audit query from the library.
 *
 * @param text the SPARQL, parameters as ordinary variables
 */
public record AuditQuery(
    String name, String question, List<Parameter> parameters, List<String> columns, String text) {

  /** What a parameter's value must be; how it is bound. */
  public enum Type {
    IRI,
    STRING,
    DATE_TIME,
    INTEGER,
    DECIMAL,
    BOOLEAN;

    public String wireName() {
      return this == DATE_TIME ? "dateTime" : name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Type> fromWireName(String name) {
      for (Type type : values()) {
        if (type.wireName().equals(name)) {
          return Optional.of(type);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * @param name the SPARQL variable, without {@code ?}
   */
  public record Parameter(String name, Type type, String description) {}

  public AuditQuery {
    Objects.requireNonNull(name, "name");
    parameters = List.copyOf(parameters);
    columns = List.copyOf(columns);
  }
}
