package io.arbiter.replay;

import io.arbiter.decision.DecisionService;
import io.arbiter.policy.PolicyCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the replay service. */
@ApplicationScoped
public class ReplayWiring {

  @Produces
  @Singleton
  ReplayService service(
      DecisionService decisions, PolicyCatalog policies, PolicyOutcomes outcomes) {
    return new ReplayService(decisions, policies, outcomes);
  }
}
