package io.arbiter.audit;

import io.arbiter.config.StartupOrder;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.logging.Logger;

/**
 * Reads the audit query library at start-up, the bundled queries and those of the ontology
 * extensions folder, so that a broken header stops the application.
 */
@ApplicationScoped
public class AuditWiring {

  private static final Logger LOG = Logger.getLogger(AuditWiring.class.getName());

  @Produces
  @Singleton
  AuditQueryLibrary library(io.arbiter.config.OntologyExtensionFiles extensions) {
    return AuditQueryLibrary.bundled().with(extensions.queries());
  }

  static void start(
      @Observes @Priority(StartupOrder.REGISTRY) @Initialized(ApplicationScoped.class) Object event,
      AuditQueryLibrary library) {
    LOG.info(() -> library.all().size() + " audit queries in the library");
  }
}
