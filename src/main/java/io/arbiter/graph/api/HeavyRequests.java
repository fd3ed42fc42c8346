package io.arbiter.graph.api;

import io.arbiter.web.Permits;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The permits of the requests that read the whole journal or store: exports and verifications. Each
 * takes minutes of a core on a large log, so a few at once could take the server from everyone else
 * (SPARQL queries have their own, in {@link SparqlService}).
 */
@ApplicationScoped
public class HeavyRequests {

  private Permits exportPermits;
  private Permits verificationPermits;

  @PostConstruct
  void create() {
    exportPermits = Permits.configured("exports", "arbiter.export");
    verificationPermits = Permits.configured("verifications", "arbiter.verify");
  }

  Permits.Permit export(String caller) {
    return exportPermits.acquire(caller);
  }

  Permits.Permit verification(String caller) {
    return verificationPermits.acquire(caller);
  }
}
