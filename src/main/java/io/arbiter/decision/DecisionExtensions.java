package io.arbiter.decision;

import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.util.List;
import java.util.Map;

/**
 * What governance teams' ontology extensions add to intake: the properties a decision may carry
 * beyond Arbiter's own ({@code "extensions"} in the request), and the shapes every decision must
 * meet. Implemented by the graph, which reads the extension files at start-up.
 */
public interface DecisionExtensions {

  /**
   * The submitted extension values, resolved to their properties' full IRIs and typed by their
   * declared ranges, in a stable order.
   *
   * @param submitted key as submitted (a full IRI or a prefixed name declared in an extension) to a
   *     plain JSON value (text, number, boolean) or a list of them
   * @throws ProblemException {@code invalid-request} naming each {@code extensions.<key>} at fault
   */
  List<ExtensionValue> resolve(Map<String, Object> submitted);

  /**
   * Checks a routed decision, not yet recorded, against the extensions' shapes.
   *
   * @throws ProblemException {@code invalid-request} naming the fields the violated shapes are
   *     about
   */
  void check(Decision decision);

  /** No extensions loaded: any extension value is refused, nothing else is checked. */
  DecisionExtensions NONE =
      new DecisionExtensions() {
        @Override
        public List<ExtensionValue> resolve(Map<String, Object> submitted) {
          if (submitted.isEmpty()) {
            return List.of();
          }
          throw new ProblemException(
              ProblemType.INVALID_REQUEST,
              "No ontology extension is loaded, so a decision carries no extension properties.",
              submitted.keySet().stream()
                  .map(key -> new FieldError("extensions." + key, "no extension declares it"))
                  .toList());
        }

        @Override
        public void check(Decision decision) {}
      };
}
