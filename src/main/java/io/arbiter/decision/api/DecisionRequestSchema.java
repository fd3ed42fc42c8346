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
                    + " to it takes precedence over one for every tenant. Only a tenant granted to"
                    + " the caller (arbiter.tenants-file) may be named: others are refused with"
                    + " 403 tenant-not-granted",
            example = "retail-eu")
        String tenant,
    @Schema(
            type = SchemaType.OBJECT,
            description =
                "Values of properties declared in the loaded ontology extensions"
                    + " (GET /api/v1/ontology/extensions), by the property's full IRI or prefixed"
                    + " name: a string, number or boolean, or an array of them. IRI-valued"
                    + " properties take an IRI or prefixed name; literals are typed by the"
                    + " property's rdfs:range. An undeclared property, a value that does not fit,"
                    + " or a decision that breaks an extension's SHACL shapes is refused (422)"
                    + " and nothing is recorded. See docs/ontology-extensions.md.",
            example = "{\"euai:riskClass\": \"euai:HighRisk\", \"euai:annexIIIPoint\": \"5(b)\"}")
        Map<String, Object> extensions) {

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
