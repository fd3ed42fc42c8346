package io.arbiter.policy.api;

import io.arbiter.policy.ReasonCode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A reason code with the words its policy version gives it: the same in the version's view, in a
 * review task's and in the version's SKOS code list ({@code skos:prefLabel}, {@code
 * skos:definition}).
 */
@Schema(name = "ReasonCode")
public record ReasonCodeView(
    @Schema(description = "What a verdict sends and records as its reasonCode") String code,
    @Schema(description = "What a person reads for it: the policy's label, else the code itself")
        String label,
    @Schema(description = "When it applies, where the policy says; absent otherwise")
        String definition) {

  public static ReasonCodeView of(ReasonCode code) {
    return new ReasonCodeView(code.code(), code.shownLabel(), code.definition().orElse(null));
  }
}
