package io.arbiter.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arbiter.event.Jsonp;
import io.arbiter.policy.DriftFacts;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.registry.ModelVersionRef;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceJsonTest {

  private static final ModelVersionRef MODEL = new ModelVersionRef("m", "1");

  private static ReferenceProfile parse(String json) {
    try (var reader = Jsonp.PROVIDER.createReader(new StringReader(json))) {
      return ReferenceJson.parse(MODEL, reader.readObject());
    }
  }

  private static List<FieldError> errors(String json) {
    return assertThrows(ProblemException.class, () -> parse(json)).errors();
  }

  @Test
  void readsHistogramsCategoriesAndTheScoreAndWritesThemBack() {
    ReferenceProfile profile =
        parse(
            """
            {"inputs": {"amount": {"type": "histogram", "edges": [0, 10, 20], "counts": [3, 1]},
                        "region": {"type": "categorical", "counts": {"EU": 0.6, "US": 0.4}}},
             "score": {"type": "histogram", "edges": [0, 0.5, 1], "counts": [1, 1]}}""");
    assertEquals(
        new Distribution.Histogram(List.of(0.0, 10.0, 20.0), List.of(3.0, 1.0)),
        profile.distributions().get("amount"));
    assertEquals(
        new Distribution.Categorical(Map.of("EU", 0.6, "US", 0.4)),
        profile.distributions().get("region"));
    assertEquals(
        new Distribution.Histogram(List.of(0.0, 0.5, 1.0), List.of(1.0, 1.0)),
        profile.distributions().get(DriftFacts.SCORE));
    assertEquals(profile, ReferenceJson.read(MODEL, ReferenceJson.write(profile)));
  }

  @Test
  void namesEachFieldAtFault() {
    assertEquals(
        List.of(new FieldError("inputs.amount.edges", "must be finite and strictly ascending")),
        errors(
            """
            {"inputs": {"amount": {"type": "histogram", "edges": [0, 20, 10], "counts": [1, 1]}}}"""));
    assertEquals(
        List.of(new FieldError("inputs.amount.counts", "needs one count per bin: 2")),
        errors(
            """
            {"inputs": {"amount": {"type": "histogram", "edges": [0, 10, 20], "counts": [1]}}}"""));
    assertEquals(
        List.of(new FieldError("inputs.region.type", "must be histogram or categorical")),
        errors("{\"inputs\": {\"region\": {\"type\": \"pie\", \"counts\": {}}}}"));
    assertEquals(
        List.of(new FieldError("inputs.region.counts", "counts must not all be zero")),
        errors("{\"inputs\": {\"region\": {\"type\": \"categorical\", \"counts\": {\"EU\": 0}}}}"));
    assertEquals(
        List.of(new FieldError("score.type", "the score's reference is a histogram")),
        errors("{\"score\": {\"type\": \"categorical\", \"counts\": {\"high\": 1}}}"));
    assertEquals(
        List.of(new FieldError("inputs", "give at least one input or the score")), errors("{}"));
    assertEquals(
        "inputs.output.score",
        errors(
                "{\"inputs\": {\"output.score\": {\"type\": \"categorical\", \"counts\": {\"a\": 1}}}}")
            .get(0)
            .field());
    assertEquals(
        "inputs.two words",
        errors("{\"inputs\": {\"two words\": {\"type\": \"categorical\", \"counts\": {\"a\": 1}}}}")
            .get(0)
            .field());
    assertEquals(
        List.of(
            new FieldError("weights", "unknown field; expected inputs and score"),
            new FieldError("inputs.a.counts", "counts must be finite and not negative")),
        errors(
            """
            {"weights": 1,
             "inputs": {"a": {"type": "histogram", "edges": [0, 1], "counts": [-1]}}}"""));
  }
}
