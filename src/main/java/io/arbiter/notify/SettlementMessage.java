package io.arbiter.notify;

import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.Resolution;
import io.arbiter.event.IriScheme;
import io.arbiter.event.Jsonp;

/**
 * What integrators are told when a decision that waited for humans is settled: the same JSON in a
 * callback body and in the event stream.
 */
public final class SettlementMessage {
  private SettlementMessage() {}

  public static final String TYPE = "decision.settled";

  public static String json(DecisionSummary decision, Resolution resolution, IriScheme iris) {
    return Jsonp.PROVIDER
        .createObjectBuilder()
        .add("type", TYPE)
        .add("decision", decision.id().value())
        .add("iri", iris.decision(decision.id().value()))
        .add("subject", decision.subject())
        .add("outcome", resolution.outcome().wireName())
        .add("basis", resolution.basis())
        .add("failSafe", resolution.failSafe())
        .add("overridesRecommendation", resolution.overridesRecommendation())
        .add("settledAt", resolution.at().toString())
        .build()
        .toString();
  }
}
