package io.arbiter.decision.api;

import java.math.BigDecimal;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The submission body as documented in OpenAPI. Requests are parsed by {@link
 * io.arbiter.decision.DecisionRequestParser}, which is stricter than a schema can say: unknown
 * fields, nulls and duplicate keys are refused.
 */
@Schema(name = "DecisionRequest", description = "An AI decision to be routed and recorded.")
public record DecisionRequestSchema(
    @Schema(required = true) ModelRef model,
    @Schema(
            required = true,
            description = "The integrator's own id of the case",
            example = "loan-2026-0001")
        String subject,
    @Schema(
            required = true,
            type = SchemaType.OBJECT,
            description =
                "Named feature values. Each is a JSON value, or {\"value\": ..., \"source\": \"...\"} "
                    + "to name where it came from. The policy declares which inputs it reads and their types.",
            example =
                "{\"amount\": 12000, \"income\": 56000, \"riskScore\": {\"value\": 0.35, \"source\": \"bureau\"}}")
        Map<String, Object> input,
    @Schema(required = true) Output output,
    @Schema(
            type = SchemaType.OBJECT,
            description = "Free-form facts about the case",
            example = "{\"region\": \"EU\", \"channel\": \"web\"}")
        Map<String, Object> context,
    @Schema(
            description =
                "The tenant (business unit, client) the decision is for; a policy version scoped"
                    + " to it takes precedence over one for every tenant",
            example = "retail-eu")
        String tenant) {

  /** Which model version decided. */
  @Schema(name = "ModelVersionRef")
  public record ModelRef(
      @Schema(required = true, example = "demo-credit") String name,
      @Schema(required = true, example = "1", description = "A string; an integer is accepted too")
          String version) {}

  /** What the model said. */
  @Schema(name = "ModelOutputRequest")
  public record Output(
      @Schema(required = true, example = "approve") String label,
      @Schema(required = true, example = "0.82") double score,
      @Schema(required = true, minimum = "0", maximum = "1", example = "0.91") double confidence,
      @Schema(
              description = "Feature attributions: feature name to weight",
              example = "{\"income\": 0.4, \"amount\": -0.1}")
          Map<String, BigDecimal> explanation) {}
}
