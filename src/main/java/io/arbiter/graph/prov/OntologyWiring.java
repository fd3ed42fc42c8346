package io.arbiter.graph.prov;

import io.arbiter.audit.AuditQuery;
import io.arbiter.audit.AuditQueryLibrary;
import io.arbiter.config.OntologyExtensionFiles;
import io.arbiter.config.StartupOrder;
import io.arbiter.decision.DecisionService;
import io.arbiter.event.IriScheme;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.logging.Logger;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;

/**
 * Loads the ontology extensions at start-up and hands intake their vocabulary and shapes. Bad
 * Turtle, bad shapes, a bad audit query header or SPARQL stop start-up, naming the file.
 */
@ApplicationScoped
public class OntologyWiring {

  private static final Logger LOG = Logger.getLogger(OntologyWiring.class.getName());

  @Produces
  @Singleton
  OntologyExtensions extensions(OntologyExtensionFiles files) {
    return OntologyExtensions.load(files.turtle());
  }

  /** Reads everything first, so a broken file stops start-up before the store opens. */
  static void check(
      @Observes @Priority(StartupOrder.ONTOLOGY) @Initialized(ApplicationScoped.class) Object event,
      OntologyExtensionFiles files,
      OntologyExtensions extensions,
      AuditQueryLibrary library) {
    library.all().forEach(OntologyWiring::requireValidSparql);
    files
        .folder()
        .ifPresent(
            folder ->
                LOG.info(
                    () ->
                        "Ontology extensions from "
                            + folder
                            + ": "
                            + extensions.files().size()
                            + " Turtle files, "
                            + extensions.properties().size()
                            + " decision properties, "
                            + (extensions.shapes().isPresent() ? "with" : "without")
                            + " shapes, "
                            + files.queries().size()
                            + " audit queries"));
  }

  /** Intake resolves and checks extension values from the start of intake on. */
  static void attach(
      @Observes @Priority(StartupOrder.DECISIONS) @Initialized(ApplicationScoped.class)
          Object event,
      DecisionService decisions,
      OntologyExtensions extensions,
      IriScheme iris) {
    decisions.extensions(new ExtensionVocabulary(extensions, iris));
  }

  /**
   * @throws IllegalStateException naming the query, line and column when it is not SPARQL
   */
  static void requireValidSparql(AuditQuery query) {
    try {
      QueryFactory.create(query.text());
    } catch (QueryParseException e) {
      throw new IllegalStateException(
          "audit query "
              + query.name()
              + ": not valid SPARQL at line "
              + e.getLine()
              + ", column "
              + e.getColumn(),
          e);
    }
  }
}
