package io.arbiter.config;

import io.arbiter.event.IriScheme;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Produces what every capability shares: the clock, the IRI scheme, the data directory. */
@ApplicationScoped
public class CoreWiring {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * {@code arbiter.base-iri} if set (environment {@code ARBITER_BASE_IRI}); else the launcher's
   * default ({@code arbiter.default-base-iri}, which {@code mvn liberty:run} derives from the HTTP
   * port); else {@code http://localhost:9080/id/}.
   */
  @Produces
  @Singleton
  IriScheme iris(
      @ConfigProperty(name = "arbiter.base-iri") Optional<String> base,
      @ConfigProperty(name = "arbiter.default-base-iri") Optional<String> launcherDefault) {
    return new IriScheme(base.or(() -> launcherDefault).orElse("http://localhost:9080/id/"));
  }

  /**
   * {@code arbiter.data-dir} if set (environment {@code ARBITER_DATA_DIR}); else the launcher's
   * default ({@code arbiter.default-data-dir}: {@code ./data} of the checkout under {@code mvn
   * liberty:run}); else {@code data} under the server's working directory.
   */
  @Produces
  @Singleton
  @DataDirectory
  Path dataDirectory(
      @ConfigProperty(name = "arbiter.data-dir") Optional<String> directory,
      @ConfigProperty(name = "arbiter.default-data-dir") Optional<String> launcherDefault) {
    return Path.of(directory.or(() -> launcherDefault).orElse("data")).toAbsolutePath().normalize();
  }

  /**
   * {@code arbiter.ontology.extensions-dir} if set (environment {@code
   * ARBITER_ONTOLOGY_EXTENSIONS_DIR}), which must exist; else the launcher's default ({@code
   * arbiter.default-ontology-extensions-dir}: {@code ontology/extensions} of the checkout under
   * {@code mvn liberty:run}) if it exists; else none. Read once, at start-up.
   */
  @Produces
  @Singleton
  OntologyExtensionFiles ontologyExtensions(
      @ConfigProperty(name = "arbiter.ontology.extensions-dir") Optional<String> directory,
      @ConfigProperty(name = "arbiter.default-ontology-extensions-dir")
          Optional<String> launcherDefault) {
    if (directory.isPresent()) {
      return OntologyExtensionFiles.read(Path.of(directory.get()).toAbsolutePath().normalize());
    }
    return launcherDefault
        .map(Path::of)
        .filter(java.nio.file.Files::isDirectory)
        .map(OntologyExtensionFiles::read)
        .orElse(OntologyExtensionFiles.NONE);
  }
}
