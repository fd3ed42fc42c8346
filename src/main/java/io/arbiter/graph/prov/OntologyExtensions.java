package io.arbiter.graph.prov;

import io.arbiter.config.SeedFile;
import io.arbiter.decision.ExtensionValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.jena.datatypes.RDFDatatype;
import org.apache.jena.datatypes.TypeMapper;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.system.ErrorHandler;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.vocabulary.OWL;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;
import org.apache.jena.vocabulary.XSD;

/**
 * Governance teams' ontology extensions: Turtle files of classes, properties, SKOS concepts and
 * SHACL shapes, read once at start-up. A file that is not valid Turtle, holds invalid shapes, or
 * declares a property in a namespace Arbiter or a standard owns, stops start-up with its name (and
 * line and column where the parser knows them).
 *
 * <p>Properties declared here ({@code rdf:Property}, {@code owl:ObjectProperty}, {@code
 * owl:DatatypeProperty}) may be carried by decisions; their {@code rdfs:range} says whether a value
 * is an IRI or a literal of which datatype. Immutable once loaded.
 */
public final class OntologyExtensions {

  /**
   * Namespaces an extension may not declare properties in, and whose predicates on a decision are
   * Arbiter's own rather than an extension's (read-back tells them apart by this list).
   */
  static final List<String> RESERVED =
      List.of(
          Vocab.ARB,
          Vocab.PROV,
          Vocab.DCTERMS,
          // Spelt out: Jena's vocabulary classes must not be touched before Jena initialises.
          "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
          "http://www.w3.org/2000/01/rdf-schema#",
          "http://www.w3.org/2002/07/owl#",
          "http://www.w3.org/2001/XMLSchema#",
          "http://www.w3.org/ns/shacl#");

  private static final String SH = "http://www.w3.org/ns/shacl#";

  /** How values of a declared property are written. */
  public record PropertyKind(String iri, Optional<String> datatype, boolean iriValued) {

    /** No range, or {@code rdfs:Literal}: the JSON value's own type decides. */
    public boolean natural() {
      return !iriValued && datatype.isEmpty();
    }
  }

  /** One loaded file: its name, its triples and the prefixes it declares. */
  public record ExtensionFile(String name, Graph graph, Map<String, String> prefixes) {}

  public static final OntologyExtensions NONE =
      new OntologyExtensions(List.of(), Map.of(), Map.of(), Optional.empty());

  private final List<ExtensionFile> files;
  private final Map<String, PropertyKind> properties;
  private final Map<String, String> prefixes;
  private final Optional<Shapes> shapes;

  private OntologyExtensions(
      List<ExtensionFile> files,
      Map<String, PropertyKind> properties,
      Map<String, String> prefixes,
      Optional<Shapes> shapes) {
    this.files = List.copyOf(files);
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    this.prefixes = Collections.unmodifiableMap(new LinkedHashMap<>(prefixes));
    this.shapes = shapes;
  }

  /**
   * Parses and checks the files, in the order given.
   *
   * @throws IllegalStateException naming the file (and line and column) at fault
   */
  public static OntologyExtensions load(List<SeedFile> turtle) {
    List<ExtensionFile> files = new ArrayList<>();
    Map<String, PropertyKind> properties = new LinkedHashMap<>();
    Map<String, String> prefixes = new LinkedHashMap<>();
    Map<String, String> prefixOrigin = new LinkedHashMap<>();
    Graph allShapes = GraphFactory.createDefaultGraph();
    boolean anyShapes = false;
    for (SeedFile source : turtle) {
      Model model = parse(source);
      model
          .getNsPrefixMap()
          .forEach(
              (prefix, namespace) -> {
                String earlier = prefixes.putIfAbsent(prefix, namespace);
                if (earlier != null && !earlier.equals(namespace)) {
                  throw new IllegalStateException(
                      "ontology extension "
                          + source.name()
                          + ": prefix "
                          + prefix
                          + ": is <"
                          + namespace
                          + "> here but <"
                          + earlier
                          + "> in "
                          + prefixOrigin.get(prefix));
                }
                prefixOrigin.putIfAbsent(prefix, source.name());
              });
      declaredProperties(source.name(), model, properties);
      if (hasShapes(model.getGraph())) {
        anyShapes = true;
        parseShapes(source.name(), model.getGraph());
      }
      model.getGraph().find().forEachRemaining(allShapes::add);
      files.add(new ExtensionFile(source.name(), model.getGraph(), model.getNsPrefixMap()));
    }
    Optional<Shapes> shapes =
        anyShapes
            ? Optional.of(parseShapes("the extensions together", allShapes))
            : Optional.empty();
    return new OntologyExtensions(files, properties, prefixes, shapes);
  }

  public List<ExtensionFile> files() {
    return files;
  }

  /** Declared extension properties by IRI. */
  public Map<String, PropertyKind> properties() {
    return properties;
  }

  /** The prefixes the files declare, prefix to namespace. */
  public Map<String, String> prefixes() {
    return prefixes;
  }

  /** All extension shapes, parsed together; empty when no file holds any. */
  public Optional<Shapes> shapes() {
    return shapes;
  }

  /** All files' triples in one graph, with their prefixes. */
  public Model merged() {
    Model merged = ModelFactory.createDefaultModel();
    for (ExtensionFile file : files) {
      file.graph().find().forEachRemaining(merged.getGraph()::add);
    }
    merged.setNsPrefixes(prefixes);
    return merged;
  }

  /** The IRI in prefixed form when an extension declares its namespace, else the IRI itself. */
  public String shortForm(String iri) {
    for (var prefix : prefixes.entrySet()) {
      String namespace = prefix.getValue();
      if (iri.startsWith(namespace) && iri.length() > namespace.length()) {
        return prefix.getKey() + ":" + iri.substring(namespace.length());
      }
    }
    return iri;
  }

  /** The full IRI for a prefixed name with a declared prefix; empty for anything else. */
  public Optional<String> expand(String name) {
    int colon = name.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(prefixes.get(name.substring(0, colon)))
        .map(namespace -> namespace + name.substring(colon + 1));
  }

  /** An extension value as an RDF node of {@code model}. */
  static RDFNode node(Model model, ExtensionValue value) {
    if (value.isIri()) {
      return model.createResource(value.value());
    }
    RDFDatatype type = TypeMapper.getInstance().getSafeTypeByName(value.datatype().get());
    return model.createTypedLiteral(value.value(), type);
  }

  /**
   * The extension values recorded on a decision: its statements whose predicate lies outside the
   * reserved namespaces. Read from the graph, so they show even if the extension was removed since.
   */
  static List<ExtensionValue> valuesOn(Resource decision) {
    List<ExtensionValue> values = new ArrayList<>();
    for (Statement statement : decision.listProperties().toList()) {
      String predicate = statement.getPredicate().getURI();
      if (RESERVED.stream().anyMatch(predicate::startsWith)) {
        continue;
      }
      RDFNode object = statement.getObject();
      if (object.isURIResource()) {
        values.add(ExtensionValue.iri(predicate, object.asResource().getURI()));
      } else if (object.isLiteral()) {
        values.add(
            ExtensionValue.literal(
                predicate,
                object.asLiteral().getLexicalForm(),
                object.asLiteral().getDatatypeURI()));
      }
    }
    values.sort(EXTENSION_ORDER);
    return values;
  }

  /** The order extension values are kept in: by property, then value. */
  static final Comparator<ExtensionValue> EXTENSION_ORDER =
      Comparator.comparing(ExtensionValue::property).thenComparing(ExtensionValue::value);

  private static Model parse(SeedFile source) {
    Model model = ModelFactory.createDefaultModel();
    RDFParser.create()
        .fromString(source.text())
        .lang(Lang.TURTLE)
        .errorHandler(new FailingErrorHandler(source.name()))
        .parse(model);
    return model;
  }

  private static void declaredProperties(
      String file, Model model, Map<String, PropertyKind> properties) {
    for (Resource type : List.of(RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty)) {
      for (Resource property : model.listSubjectsWithProperty(RDF.type, type).toList()) {
        if (!property.isURIResource()) {
          throw new IllegalStateException(
              "ontology extension " + file + ": a declared property must have an IRI");
        }
        String iri = property.getURI();
        if (RESERVED.stream().anyMatch(iri::startsWith)) {
          throw new IllegalStateException(
              "ontology extension "
                  + file
                  + ": <"
                  + iri
                  + "> lies in a namespace Arbiter or a W3C standard owns; declare extension"
                  + " properties in your own namespace");
        }
        List<Statement> ranges = property.listProperties(RDFS.range).toList();
        if (ranges.size() > 1) {
          throw new IllegalStateException(
              "ontology extension " + file + ": <" + iri + "> has more than one rdfs:range");
        }
        Optional<String> range =
            ranges.stream()
                .map(s -> s.getObject())
                .filter(RDFNode::isURIResource)
                .map(n -> n.asResource().getURI())
                .findFirst();
        boolean objectProperty = property.hasProperty(RDF.type, OWL.ObjectProperty);
        PropertyKind kind = kind(file, model, iri, range, objectProperty);
        PropertyKind earlier = properties.putIfAbsent(iri, kind);
        if (earlier != null && !earlier.equals(kind)) {
          throw new IllegalStateException(
              "ontology extension " + file + ": <" + iri + "> is declared differently elsewhere");
        }
      }
    }
  }

  private static PropertyKind kind(
      String file, Model model, String iri, Optional<String> range, boolean objectProperty) {
    if (objectProperty) {
      return new PropertyKind(iri, Optional.empty(), true);
    }
    if (range.isEmpty() || range.get().equals(RDFS.Literal.getURI())) {
      return new PropertyKind(iri, Optional.empty(), false);
    }
    String type = range.get();
    boolean datatype =
        type.startsWith(XSD.getURI())
            || type.equals(RDF.dtLangString.getURI())
            || type.equals(RDF.dtRDFJSON.getURI())
            || model.contains(model.createResource(type), RDF.type, RDFS.Datatype);
    if (!datatype) {
      return new PropertyKind(iri, Optional.empty(), true);
    }
    if (TypeMapper.getInstance().getTypeByName(type) == null
        || type.equals(RDF.dtLangString.getURI())) {
      throw new IllegalStateException(
          "ontology extension "
              + file
              + ": the range of <"
              + iri
              + "> is <"
              + type
              + ">, a datatype Arbiter cannot check values of; use an XSD datatype");
    }
    return new PropertyKind(iri, Optional.of(type), false);
  }

  private static boolean hasShapes(Graph graph) {
    return graph
        .find(Node.ANY, Node.ANY, Node.ANY)
        .filterKeep(OntologyExtensions::shaclTriple)
        .hasNext();
  }

  private static boolean shaclTriple(Triple t) {
    return t.getPredicate().isURI() && t.getPredicate().getURI().startsWith(SH)
        || t.getObject().isURI() && t.getObject().getURI().startsWith(SH);
  }

  private static Shapes parseShapes(String file, Graph graph) {
    try {
      return Shapes.parse(graph);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "ontology extension " + file + ": invalid SHACL shapes: " + e.getMessage(), e);
    }
  }

  /** Turns the parser's errors into a start-up failure naming file, line and column. */
  private record FailingErrorHandler(String file) implements ErrorHandler {
    @Override
    public void warning(String message, long line, long col) {
      java.util.logging.Logger.getLogger(OntologyExtensions.class.getName())
          .warning(() -> "ontology extension " + where(line, col) + ": " + message);
    }

    @Override
    public void error(String message, long line, long col) {
      throw new IllegalStateException(
          "ontology extension " + where(line, col) + ": not valid Turtle: " + message);
    }

    @Override
    public void fatal(String message, long line, long col) {
      error(message, line, col);
    }

    private String where(long line, long col) {
      return line < 0 ? file : file + ", line " + line + ", column " + col;
    }
  }
}
