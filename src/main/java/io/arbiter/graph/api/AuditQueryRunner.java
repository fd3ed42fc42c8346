package io.arbiter.graph.api;

import io.arbiter.audit.AuditQuery;
import io.arbiter.event.Jsonp;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.irix.IRIException;
import org.apache.jena.irix.IRIx;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.Query;

/**
 * Binds an audit query's parameters from JSON values, each by its declared type, through {@link
 * ParameterizedSparqlString} (values become RDF terms; nothing is spliced into the text), and
 * parses the result as {@code /sparql} would.
 */
public final class AuditQueryRunner {

  private final SparqlService sparql;

  public AuditQueryRunner(SparqlService sparql) {
    this.sparql = sparql;
  }

  public SparqlService sparql() {
    return sparql;
  }

  /**
   * @throws ProblemException {@code invalid-request} naming each parameter that is missing, unknown
   *     or not of its type
   */
  public Query bind(AuditQuery query, JsonObject values) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> declared =
        query.parameters().stream().map(AuditQuery.Parameter::name).collect(Collectors.toSet());
    values.keySet().stream()
        .filter(key -> !declared.contains(key))
        .sorted()
        .forEach(key -> errors.add(new FieldError(key, "not a parameter of " + query.name())));
    ParameterizedSparqlString text = new ParameterizedSparqlString(query.text());
    for (AuditQuery.Parameter parameter : query.parameters()) {
      JsonValue value = values.get(parameter.name());
      if (value == null && parameter.optional()) {
        continue;
      }
      if (value == null) {
        errors.add(new FieldError(parameter.name(), "required: " + parameter.type().wireName()));
        continue;
      }
      String problem = bind(text, parameter, value);
      if (problem != null) {
        errors.add(new FieldError(parameter.name(), problem));
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "The parameters of " + query.name() + " are invalid.",
          errors);
    }
    return sparql.parse(text.toString(), List.of(), List.of());
  }

  /** Binds one value; the problem with it, or null. */
  private static String bind(
      ParameterizedSparqlString text, AuditQuery.Parameter parameter, JsonValue value) {
    String name = parameter.name();
    switch (parameter.type()) {
      case IRI -> {
        if (!(value instanceof JsonString s)) {
          return "must be an absolute IRI, as a string";
        }
        try {
          // isRelative, not !isAbsolute: RFC 3986's absolute-URI has no fragment, and IRIs such as
          // arb:RouteReview or a SKOS concept's are hash IRIs.
          if (IRIx.create(s.getString()).isRelative()) {
            return "must be an absolute IRI";
          }
        } catch (IRIException e) {
          return "must be an absolute IRI";
        }
        text.setIri(name, s.getString());
      }
      case STRING -> {
        if (!(value instanceof JsonString s)) {
          return "must be a string";
        }
        text.setLiteral(name, s.getString());
      }
      case DATE_TIME -> {
        if (!(value instanceof JsonString s)) {
          return "must be an xsd:dateTime with a time zone, as a string";
        }
        try {
          OffsetDateTime at = OffsetDateTime.parse(s.getString());
          // Not toString(): it drops zero seconds, which xsd:dateTime requires.
          text.setLiteral(
              name,
              java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at),
              XSDDatatype.XSDdateTime);
        } catch (DateTimeParseException e) {
          return "must be an xsd:dateTime with a time zone, e.g. 2026-11-26T10:00:00Z";
        }
      }
      case INTEGER -> {
        if (!(value instanceof JsonNumber n)
            || !Jsonp.saneNumber(n.bigDecimalValue())
            || !n.isIntegral()) {
          return "must be a whole number of at most 64 digits";
        }
        text.setLiteral(name, n.bigIntegerValue().toString(), XSDDatatype.XSDinteger);
      }
      case DECIMAL -> {
        if (!(value instanceof JsonNumber n) || !Jsonp.saneNumber(n.bigDecimalValue())) {
          return "must be a number of at most 64 digits and an exponent within ±64";
        }
        text.setLiteral(name, n.bigDecimalValue().toPlainString(), XSDDatatype.XSDdecimal);
      }
      case BOOLEAN -> {
        if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
          return "must be true or false";
        }
        text.setLiteral(name, value == JsonValue.TRUE);
      }
    }
    return null;
  }
}
