package io.arbiter.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbiter.slo.Objective;
import io.arbiter.slo.ObjectivesParser;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An objective's gauges are tagged with its scope, each part left out an empty value. */
class ObjectiveTagsTest {

  private static List<String> tags(Objective objective) {
    return Arrays.stream(ObjectiveTags.of(objective))
        .map(t -> t.getTagName() + "=" + t.getTagValue())
        .toList();
  }

  @Test
  void of_scopedAndUnscopedObjectives_sameTagNamesWithTheScopeAsValues() {
    List<Objective> objectives =
        ObjectivesParser.parse(
            "test",
            """
            objectives:
              - {id: all, kind: reviews-within-sla, target: 0.9, window: P1D}
              - id: north
                kind: reviews-within-sla
                target: 0.9
                window: P1D
                scope: {model: tumour-screen, modelVersion: 3, tenant: acme, context: {floor: 3}}
              - {id: acme, kind: reviews-within-sla, target: 0.9, window: P1D, scope: {tenant: acme}}
            """);
    assertEquals(
        List.of("objective=all", "model=", "version=", "tenant=", "context_key=", "context_value="),
        tags(objectives.get(0)));
    assertEquals(
        List.of(
            "objective=north",
            "model=tumour-screen",
            "version=3",
            "tenant=acme",
            "context_key=floor",
            "context_value=3"),
        tags(objectives.get(1)));
    assertEquals(
        List.of(
            "objective=acme",
            "model=",
            "version=",
            "tenant=acme",
            "context_key=",
            "context_value="),
        tags(objectives.get(2)));
  }
}
