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
   * @param optional whether a run may leave it out; the variable is then unbound, and the query
   *     must say what that means, e.g. {@code COALESCE(?from, …)} for a window open at the start
   *     ({@code BOUND(?from)} cannot be used: a value given replaces the variable)
   */
  public record Parameter(String name, Type type, boolean optional, String description) {}

  public AuditQuery {
    Objects.requireNonNull(name, "name");
    parameters = List.copyOf(parameters);
    columns = List.copyOf(columns);
  }
}
