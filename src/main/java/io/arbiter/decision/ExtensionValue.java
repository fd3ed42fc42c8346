package io.arbiter.decision;

import java.util.Objects;
import java.util.Optional;

/**
 * One value of an extension property on a decision, as written to its bundle: the triple {@code
 * <decision> <property> value}. The property is declared in an ontology extension ({@code
 * ontology/extensions/}), not by Arbiter.
 *
 * @param property the property's full IRI
 * @param value an IRI when {@code datatype} is empty, else the literal's lexical form
 * @param datatype the literal's datatype IRI; empty for an IRI value
 */
public record ExtensionValue(String property, String value, Optional<String> datatype) {

  public ExtensionValue {
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(datatype, "datatype");
  }

  public static ExtensionValue iri(String property, String iri) {
    return new ExtensionValue(property, iri, Optional.empty());
  }

  public static ExtensionValue literal(String property, String lexical, String datatype) {
    return new ExtensionValue(property, lexical, Optional.of(datatype));
  }

  public boolean isIri() {
    return datatype.isEmpty();
  }
}
