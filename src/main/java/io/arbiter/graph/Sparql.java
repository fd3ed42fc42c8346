package io.arbiter.graph;

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
}
