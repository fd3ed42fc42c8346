package io.arbiter.registry;

import io.arbiter.config.SeedFiles;
import io.arbiter.config.StartupOrder;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the model registry and registers seeded model versions at start-up. */
@ApplicationScoped
public class RegistryWiring {

  /** Demo model versions shipped in the application, used when no folder is configured. */
  static final List<String> BUNDLED = List.of("demo/models/demo-credit.yaml");

  @Produces
  @Singleton
  DataRegistry data(EventLog log, Clock clock, IriScheme iris) {
    return new DataRegistry(log, clock, iris);
  }

  @Produces
  @Singleton
  ModelRegistry registry(
      RegistryRecords records,
      DataRegistry data,
      EventLog log,
      Clock clock,
      IriScheme iris,
      @ConfigProperty(name = "arbiter.registry.approval-required", defaultValue = "false")
          boolean approvalRequired) {
    return new ModelRegistry(records, data, log, clock, iris, approvalRequired);
  }

  static void start(
      @Observes @Priority(StartupOrder.REGISTRY) @Initialized(ApplicationScoped.class) Object event,
      ModelRegistry registry,
      @ConfigProperty(name = "arbiter.registry.dir") Optional<String> folder) {
    registry.start(SeedFiles.read(folder.map(Path::of), BUNDLED));
  }
}
