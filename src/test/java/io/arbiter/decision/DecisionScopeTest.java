package io.arbiter.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import io.arbiter.problem.FieldError;
import io.arbiter.registry.ModelVersionRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionScopeTest {

  private static DecisionSummary decision(String model, String version, String tenant) {
    Instant at = Instant.parse("2026-12-01T10:00:00Z");
    return new DecisionSummary(
        DecisionId.next(at),
        "case",
        new ModelVersionRef(model, version),
        Optional.ofNullable(tenant),
        Route.REVIEW,
        RuleKind.RULE,
        Optional.of("r"),
        "approve",
        0.9,
        Optional.empty(),
        "integrator",
        at,
        Optional.empty(),
        1,
        "b",
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static DecisionScope parse(String model, String version, String tenant) {
    List<FieldError> errors = new ArrayList<>();
    DecisionScope scope = DecisionScope.parse(model, version, tenant, errors);
    assertEquals(List.of(), errors);
    return scope;
  }

  @Test
  void contains_eachGivenPartMustMatch_absentPartsMatchAll() {
    DecisionSummary retail = decision("m", "1", "retail");
    DecisionSummary untenanted = decision("m", "2", null);
    assertTrue(DecisionScope.ALL.contains(retail));
    assertTrue(parse("m", null, null).contains(untenanted));
    assertTrue(parse("m", "1", "retail").contains(retail));
    assertFalse(parse("m", "2", null).contains(retail));
    assertFalse(parse("other", null, null).contains(retail));
    assertFalse(parse(null, null, "retail").contains(untenanted), "no tenant is not every tenant");
  }

  @Test
  void parse_versionWithoutModelOrWhatIsNoId_namesTheParameter() {
    List<FieldError> errors = new ArrayList<>();
    assertEquals(DecisionScope.ALL, DecisionScope.parse(null, "1", " x", errors));
    assertEquals(
        List.of("tenant", "modelVersion"), errors.stream().map(FieldError::field).toList());
  }
}
