package io.arbiter.graph.api;

import io.arbiter.web.Permits;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The permits of the requests that read the whole journal or store: exports and verifications. Each
 * takes minutes of a core on a large log, so a few at once could take the server from everyone else
 * (SPARQL queries have their own, in {@link SparqlService}).
 */
@ApplicationScoped
public class HeavyRequests {

  @Inject
  @ConfigProperty(name = "arbiter.export.max-concurrent-per-caller")
  int exportsPerCaller;

  @Inject
  @ConfigProperty(name = "arbiter.export.max-concurrent")
  int exports;

  @Inject
  @ConfigProperty(name = "arbiter.verify.max-concurrent-per-caller")
  int verificationsPerCaller;

  @Inject
  @ConfigProperty(name = "arbiter.verify.max-concurrent")
  int verifications;

  private Permits exportPermits;
  private Permits verificationPermits;

  @PostConstruct
  void create() {
    exportPermits = new Permits("exports", "arbiter.export", exportsPerCaller, exports);
    verificationPermits =
        new Permits("verifications", "arbiter.verify", verificationsPerCaller, verifications);
  }

  Permits.Permit export(String caller) {
    return exportPermits.acquire(caller);
  }

  Permits.Permit verification(String caller) {
    return verificationPermits.acquire(caller);
  }
}
