package io.arbiter.graph.prov;

import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.shared.PrefixMapping;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;
import org.apache.jena.vocabulary.XSD;

/**
 * Query text with Arbiter's standard prefixes declared. Values from requests are bound with {@link
 * ParameterizedSparqlString#setIri} / {@code setLiteral}, never spliced into the text.
 */
public final class Sparql {

  /** The prefixes every Arbiter query and every RDF response declares. */
  public static final PrefixMapping PREFIXES =
      PrefixMapping.Factory.create()
          .setNsPrefix("arb", Vocab.ARB)
          .setNsPrefix("prov", Vocab.PROV)
          .setNsPrefix("dcterms", Vocab.DCTERMS)
          .setNsPrefix("dcat", Vocab.DCAT)
          .setNsPrefix("skos", Vocab.SKOS)
          .setNsPrefix("rdf", RDF.getURI())
          .setNsPrefix("rdfs", RDFS.getURI())
          .setNsPrefix("xsd", XSD.getURI())
          .lock();

  private Sparql() {}

  /** A parameterisable query with the standard prefixes. */
  public static ParameterizedSparqlString prepare(String text) {
    ParameterizedSparqlString query = new ParameterizedSparqlString(text);
    query.setNsPrefixes(PREFIXES);
    return query;
  }

  /**
   * The rows of a SELECT whose {@code ?variable} ranges over {@code iris} ({@link #withValues}),
   * read within one snapshot; none when {@code iris} is empty.
   */
  static java.util.List<org.apache.jena.query.QuerySolution> rows(
      GraphReads.Snapshot snapshot,
      String text,
      String variable,
      java.util.Collection<String> iris,
      java.time.Duration timeout) {
    java.util.List<org.apache.jena.query.QuerySolution> solutions = new java.util.ArrayList<>();
    eachRow(snapshot, text, variable, iris, timeout, solutions::add);
    return solutions;
  }

  /**
   * As {@link #rows}, row by row as the store produces them, until {@code sink} answers false: a
   * caller that needs only the first rows of a large result stops the query there.
   */
  static void eachRow(
      GraphReads.Snapshot snapshot,
      String text,
      String variable,
      java.util.Collection<String> iris,
      java.time.Duration timeout,
      java.util.function.Predicate<org.apache.jena.query.QuerySolution> sink) {
    if (iris.isEmpty()) {
      return;
    }
    snapshot.query(
        withValues(text, variable, iris),
        timeout,
        execution -> {
          var rows = execution.execSelect();
          while (rows.hasNext() && sink.test(rows.next())) {
            // the sink took the row and wants the next
          }
          return null;
        });
  }

  /**
   * A query whose {@code ?variable} ranges over {@code iris}: a VALUES block placed first in the
   * WHERE clause, built as syntax (never spliced text). Inside the pattern, not trailing, so that
   * it restricts the rows before any grouping, and the optimiser can start from it.
   */
  public static org.apache.jena.query.Query withValues(
      String text, String variable, java.util.Collection<String> iris) {
    org.apache.jena.query.Query query = prepare(text).asQuery();
    var var = org.apache.jena.sparql.core.Var.alloc(variable);
    var data = new org.apache.jena.sparql.syntax.ElementData();
    data.add(var);
    iris.forEach(
        iri ->
            data.add(
                org.apache.jena.sparql.engine.binding.BindingFactory.binding(
                    var, org.apache.jena.graph.NodeFactory.createURI(iri))));
    var where = new org.apache.jena.sparql.syntax.ElementGroup();
    where.addElement(data);
    var existing = query.getQueryPattern();
    if (existing instanceof org.apache.jena.sparql.syntax.ElementGroup group) {
      group.getElements().forEach(where::addElement);
    } else {
      where.addElement(existing);
    }
    query.setQueryPattern(where);
    return query;
  }
}
