package io.arbiter.graph.api;

import io.arbiter.graph.prov.Vocab;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.vocabulary.RDF;

/**
 * What {@code GET /sparql} without a query answers: a SPARQL 1.1 Service Description of the
 * endpoint, inside a PROV-AQ {@code prov:ServiceDescription} — the document a {@code
 * prov:has_query_service} link leads to. PROV-AQ also defines a "direct" query service (a URI
 * template giving an entity's provenance); Arbiter offers only SPARQL.
 */
final class ServiceDescription {

  static final String SD = "http://www.w3.org/ns/sparql-service-description#";
  private static final String FORMATS = "http://www.w3.org/ns/formats/";

  private ServiceDescription() {}

  /**
   * @param endpoint the endpoint's URL as the client reached it
   */
  static Model of(URI endpoint) {
    Model model = ModelFactory.createDefaultModel();
    model.setNsPrefix("sd", SD);
    model.setNsPrefix("formats", FORMATS);
    Resource document = model.createResource(endpoint.toString());
    Resource service = model.createResource(endpoint + "#service");
    document
        .addProperty(RDF.type, model.createResource(Vocab.PROV + "ServiceDescription"))
        .addProperty(model.createProperty(Vocab.PROV, "describesService"), service);
    service
        .addProperty(RDF.type, model.createResource(SD + "Service"))
        .addProperty(sd(model, "endpoint"), document)
        .addProperty(sd(model, "supportedLanguage"), model.createResource(SD + "SPARQL11Query"))
        // Queries see the union of all bundles as their default graph.
        .addProperty(sd(model, "feature"), model.createResource(SD + "UnionDefaultGraph"));
    List<String> formats =
        new ArrayList<>(
            List.of(
                "SPARQL_Results_JSON",
                "SPARQL_Results_XML",
                "SPARQL_Results_CSV",
                "SPARQL_Results_TSV"));
    // CONSTRUCT and DESCRIBE answer in the graph syntaxes content negotiation offers.
    RdfFormats.GRAPH.forEach(syntax -> formats.add(syntax.w3cFormat));
    for (String format : formats) {
      service.addProperty(sd(model, "resultFormat"), model.createResource(FORMATS + format));
    }
    return model;
  }

  private static Property sd(Model model, String name) {
    return model.createProperty(SD, name);
  }
}
