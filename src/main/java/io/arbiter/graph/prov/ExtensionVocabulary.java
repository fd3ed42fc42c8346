package io.arbiter.graph.prov;

import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionExtensions;
import io.arbiter.decision.ExtensionValue;
import io.arbiter.event.IriScheme;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.jena.datatypes.RDFDatatype;
import org.apache.jena.datatypes.TypeMapper;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.irix.IRIException;
import org.apache.jena.irix.IRIx;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.shacl.validation.Severity;
import org.apache.jena.sparql.path.P_Link;
import org.apache.jena.sparql.util.graph.GNode;
import org.apache.jena.sparql.util.graph.GraphList;
import org.apache.jena.vocabulary.RDF;

/**
 * Intake's view of the ontology extensions: resolves a decision's {@code extensions} to declared
 * properties and typed values, and checks the decision, as its bundle would be written, against the
 * extensions' shapes before anything is recorded.
 *
 * <p>Cost: nothing when no extension holds shapes. Otherwise a graph of a dozen triples about the
 * decision ({@link #focus}) is validated against the extension shapes only, not against Arbiter's
 * own {@code shapes.ttl} (which are written for the union of all bundles). Links out of the
 * decision (the model version's own triples, its inputs) are not in that graph.
 */
public final class ExtensionVocabulary implements DecisionExtensions {

  private static final String SH = "http://www.w3.org/ns/shacl#";
  private static final int MAX_IRI = 4096;
  private static final String XSD_NS = "http://www.w3.org/2001/XMLSchema#";
  private static final Set<String> NUMERIC =
      Set.of(
          "integer",
          "decimal",
          "double",
          "float",
          "long",
          "int",
          "short",
          "byte",
          "nonNegativeInteger",
          "positiveInteger",
          "nonPositiveInteger",
          "negativeInteger",
          "unsignedLong",
          "unsignedInt",
          "unsignedShort",
          "unsignedByte");

  private final OntologyExtensions extensions;
  private final IriScheme iris;

  public ExtensionVocabulary(OntologyExtensions extensions, IriScheme iris) {
    this.extensions = extensions;
    this.iris = iris;
  }

  @Override
  public List<ExtensionValue> resolve(Map<String, Object> submitted) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, String> keyOf = new LinkedHashMap<>();
    List<ExtensionValue> values = new ArrayList<>();
    submitted.forEach(
        (key, value) -> {
          String field = "extensions." + key;
          Optional<OntologyExtensions.PropertyKind> property = property(key);
          if (property.isEmpty()) {
            errors.add(
                new FieldError(field, "no loaded ontology extension declares this property"));
            return;
          }
          String earlier = keyOf.putIfAbsent(property.get().iri(), key);
          if (earlier != null) {
            errors.add(new FieldError(field, "names the same property as extensions." + earlier));
            return;
          }
          List<?> items = value instanceof List<?> list ? list : List.of(value);
          for (Object item : items) {
            String problem = convert(property.get(), item, values);
            if (problem != null) {
              errors.add(new FieldError(field, problem));
            }
          }
        });
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "Some extension values are invalid.", errors);
    }
    return values.stream().distinct().sorted(OntologyExtensions.EXTENSION_ORDER).toList();
  }

  @Override
  public void check(Decision decision) {
    Optional<Shapes> shapes = extensions.shapes();
    if (shapes.isEmpty()) {
      return;
    }
    ValidationReport report = ShaclValidator.get().validate(shapes.get(), focus(decision));
    if (report.conforms()) {
      return;
    }
    Set<FieldError> errors = new LinkedHashSet<>();
    for (ReportEntry entry : report.getEntries()) {
      if (!Severity.Violation.equals(entry.severity())) {
        continue;
      }
      String message = entry.message();
      for (String property : properties(entry, shapes.get().getGraph())) {
        String field =
            property.isEmpty() ? "extensions" : "extensions." + extensions.shortForm(property);
        errors.add(new FieldError(field, message));
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "The decision does not meet the ontology extensions' shapes; nothing was recorded.",
          List.copyOf(errors));
    }
  }

  /**
   * The small graph shapes are checked against: the triples the decision's bundle will hold about
   * the decision itself (as {@link ProvMapper} writes them: types, id, case id, tenant, the model's
   * label, score and confidence, its model version, submitter and submission time) plus its
   * extension values, and its routing's route. Inputs, context, trace and shadow routings are left
   * out: mapping the whole bundle twice would double intake's mapping cost.
   */
  Graph focus(Decision decision) {
    Model model = ModelFactory.createDefaultModel();
    var request = decision.request();
    Resource subject = model.createResource(iris.decision(decision.id().value()));
    Resource routing = model.createResource(subject.getURI() + "/routing");
    subject.addProperty(RDF.type, Vocab.Decision).addProperty(RDF.type, Vocab.Prov.Entity);
    subject.addProperty(Vocab.Dc.identifier, decision.id().value());
    subject.addProperty(Vocab.caseId, request.subject());
    request.tenant().ifPresent(tenant -> subject.addProperty(Vocab.tenant, tenant));
    subject.addProperty(Vocab.label, request.output().label());
    subject.addLiteral(
        Vocab.score, model.createTypedLiteral(request.output().score(), XSDDatatype.XSDdouble));
    subject.addLiteral(
        Vocab.confidence,
        model.createTypedLiteral(request.output().confidence(), XSDDatatype.XSDdouble));
    subject.addLiteral(
        Vocab.submittedAt,
        model.createTypedLiteral(decision.submittedAt().toString(), XSDDatatype.XSDdateTime));
    subject.addProperty(
        Vocab.submittedBy, model.createResource(iris.agent(decision.submittedBy())));
    subject.addProperty(
        Vocab.Prov.wasAttributedTo,
        model.createResource(
            iris.modelVersion(decision.model().name(), decision.model().version())));
    subject.addProperty(Vocab.routedBy, routing);
    routing.addProperty(Vocab.route, ProvMapper.route(iris, decision.evaluation().route()));
    for (ExtensionValue value : decision.extensions()) {
      subject.addProperty(
          model.createProperty(value.property()), OntologyExtensions.node(model, value));
    }
    return model.getGraph();
  }

  private Optional<OntologyExtensions.PropertyKind> property(String key) {
    var declared = extensions.properties();
    if (declared.containsKey(key)) {
      return Optional.of(declared.get(key));
    }
    return extensions.expand(key).map(declared::get);
  }

  /** Adds the typed value, or answers what is wrong with it. */
  private String convert(
      OntologyExtensions.PropertyKind property, Object value, List<ExtensionValue> values) {
    if (property.iriValued()) {
      if (!(value instanceof String text)) {
        return "must be an IRI or a prefixed name, as a string";
      }
      String iri = extensions.expand(text).orElse(text);
      if (!absoluteIri(iri)) {
        return "'" + text + "' is neither an absolute IRI nor a name with a declared prefix";
      }
      values.add(ExtensionValue.iri(property.iri(), iri));
      return null;
    }
    if (property.natural()) {
      values.add(natural(property.iri(), value));
      return null;
    }
    String datatype = property.datatype().get();
    RDFDatatype type = TypeMapper.getInstance().getSafeTypeByName(datatype);
    // The JSON type must match the datatype's kind: a number for numbers, true/false for
    // booleans, text for everything else (strings, dates, durations, ...).
    String local = datatype.startsWith(XSD_NS) ? datatype.substring(XSD_NS.length()) : "";
    String wanted =
        NUMERIC.contains(local) ? "number" : local.equals("boolean") ? "boolean" : "string";
    String given =
        value instanceof BigDecimal ? "number" : value instanceof Boolean ? "boolean" : "string";
    if (!wanted.equals(given)) {
      return "must be a JSON " + wanted + " (" + shortDatatype(datatype) + ")";
    }
    String lexical =
        value instanceof BigDecimal number ? number.toPlainString() : String.valueOf(value);
    if (!type.isValid(lexical)) {
      return "'" + lexical + "' is not a valid " + shortDatatype(datatype);
    }
    values.add(ExtensionValue.literal(property.iri(), lexical, datatype));
    return null;
  }

  private static ExtensionValue natural(String property, Object value) {
    if (value instanceof BigDecimal number) {
      return number.scale() <= 0
          ? ExtensionValue.literal(
              property, number.toBigIntegerExact().toString(), XSDDatatype.XSDinteger.getURI())
          : ExtensionValue.literal(
              property, number.toPlainString(), XSDDatatype.XSDdecimal.getURI());
    }
    if (value instanceof Boolean flag) {
      return ExtensionValue.literal(property, flag.toString(), XSDDatatype.XSDboolean.getURI());
    }
    return ExtensionValue.literal(property, (String) value, XSDDatatype.XSDstring.getURI());
  }

  private static String shortDatatype(String datatype) {
    return datatype.startsWith(XSD_NS) ? "xsd:" + datatype.substring(XSD_NS.length()) : datatype;
  }

  private static boolean absoluteIri(String text) {
    if (text.length() > MAX_IRI || text.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>')) {
      return false;
    }
    try {
      // A fragment is allowed (isAbsolute() would refuse one); a scheme and no violations are not
      // negotiable.
      IRIx iri = IRIx.create(text);
      return !iri.isRelative() && !iri.hasViolations();
    } catch (IRIException e) {
      return false;
    }
  }

  /**
   * The extension properties a violation is about: its result path when that is one, else the
   * extension properties the violated shape constrains (through sh:property, sh:or, sh:and,
   * sh:xone, sh:not, sh:node), so that a node-level rule ("EU decisions carry a risk class") still
   * names its field. Empty text when the shape constrains no extension property.
   */
  private List<String> properties(ReportEntry entry, Graph shapes) {
    if (entry.resultPath() instanceof P_Link link && link.getNode().isURI()) {
      String path = link.getNode().getURI();
      return List.of(path);
    }
    Set<String> found = new LinkedHashSet<>();
    collectPaths(shapes, entry.source(), found, new java.util.HashSet<>());
    found.retainAll(extensions.properties().keySet());
    return found.isEmpty() ? List.of("") : List.copyOf(found);
  }

  private static void collectPaths(Graph shapes, Node shape, Set<String> found, Set<Node> seen) {
    if (shape == null || !seen.add(shape)) {
      return;
    }
    shapes
        .find(shape, NodeFactory.createURI(SH + "path"), Node.ANY)
        .forEachRemaining(
            t -> {
              if (t.getObject().isURI()) {
                found.add(t.getObject().getURI());
              }
            });
    for (String link : List.of("property", "node", "not")) {
      shapes
          .find(shape, NodeFactory.createURI(SH + link), Node.ANY)
          .toList()
          .forEach(t -> collectPaths(shapes, t.getObject(), found, seen));
    }
    for (String list : List.of("or", "and", "xone")) {
      for (var t : shapes.find(shape, NodeFactory.createURI(SH + list), Node.ANY).toList()) {
        for (Node member : GraphList.members(new GNode(shapes, t.getObject()))) {
          collectPaths(shapes, member, found, seen);
        }
      }
    }
  }
}
