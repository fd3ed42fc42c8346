package io.arbiter.config;

import io.arbiter.event.IriScheme;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Produces what every capability shares: the clock, the IRI scheme, the data directory. */
@ApplicationScoped
public class CoreWiring {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  IriScheme iris(@ConfigProperty(name = "arbiter.base-iri") String base) {
    return new IriScheme(base);
  }

  @Produces
  @Singleton
  @DataDirectory
  Path dataDirectory(@ConfigProperty(name = "arbiter.data-dir") String directory) {
    return Path.of(directory).toAbsolutePath().normalize();
  }
}
