package io.arbiter.decision.api;

import io.arbiter.decision.DecisionSummary;
import io.arbiter.event.IriScheme;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of decisions, newest first. */
@Schema(name = "DecisionPage")
public record DecisionListView(
    List<Item> items,
    @Schema(description = "Pass as `cursor` to get the next page; absent on the last page")
        String next) {

  /** A decision in a list. */
  @Schema(name = "DecisionListItem")
  public record Item(
      String id,
      String iri,
      @Schema(enumeration = {"automated", "pending_review", "settled"}) String status,
      @Schema(
              description =
                  "review, or an outcome of the routing policy's vocabulary (approve or reject in the demo's)")
          String route,
      Views.Rule rule,
      Views.Policy policy,
      Views.Model model,
      @Schema(description = "The tenant the decision was submitted for; absent when none")
          String tenant,
      String subject,
      String submittedBy,
      Instant submittedAt,
      long sequence,
      String bundle,
      @Schema(description = "How humans settled it; absent until they have")
          DecisionView.ResolutionView resolution) {

    static Item of(DecisionSummary s, IriScheme iris) {
      return new Item(
          s.id().value(),
          iris.decision(s.id().value()),
          s.status().wireName(),
          s.route().wireName(),
          new Views.Rule(s.ruleId().orElse(null), s.ruleKind().wireName()),
          Views.Policy.of(s.policy(), iris),
          new Views.Model(s.model().name(), s.model().version()),
          s.tenant().orElse(null),
          s.subject(),
          s.submittedBy(),
          s.submittedAt(),
          s.sequence(),
          s.bundleIri(),
          s.resolution().map(DecisionView.ResolutionView::of).orElse(null));
    }
  }
}
