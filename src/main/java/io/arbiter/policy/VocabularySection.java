package io.arbiter.policy;

import io.arbiter.policy.PolicyDocumentException.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a policy's {@code vocabulary} section into an {@link OutcomeVocabulary}, adding a problem
 * with its path for everything wrong, as {@link PolicyParser} does for the rest of the document.
 *
 * <pre>
 * vocabulary:
 *   outcomes: [benign, malignant]     # at least two; never review
 *   labels: {B: benign, M: malignant}  # optional: model label → outcome it recommends
 *   positive: malignant               # optional: for precision and recall (default: the first)
 * </pre>
 */
final class VocabularySection {
  private VocabularySection() {}

  static OutcomeVocabulary read(Object value, List<Problem> problems) {
    if (value == null) {
      return OutcomeVocabulary.DEFAULT;
    }
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(new Problem("vocabulary", "must be a mapping (outcomes, labels, positive)"));
      return OutcomeVocabulary.DEFAULT;
    }
    int before = problems.size();
    for (Object key : map.keySet()) {
      if (!Set.of("outcomes", "labels", "positive").contains(String.valueOf(key))) {
        problems.add(new Problem("vocabulary." + key, "unknown field"));
      }
    }
    List<String> outcomes = outcomes(map.get("outcomes"), problems);
    Map<String, String> labels = labels(map.get("labels"), outcomes, problems);
    String positive = outcomes.isEmpty() ? "" : outcomes.get(0);
    if (map.containsKey("positive")) {
      if (map.get("positive") instanceof String p && outcomes.contains(p)) {
        positive = p;
      } else {
        problems.add(new Problem("vocabulary.positive", "must be one of " + outcomes));
      }
    }
    return problems.size() == before
        ? new OutcomeVocabulary(outcomes, labels, positive)
        : OutcomeVocabulary.DEFAULT;
  }

  private static List<String> outcomes(Object value, List<Problem> problems) {
    String path = "vocabulary.outcomes";
    if (!(value instanceof List<?> list) || list.size() < 2) {
      problems.add(
          new Problem(path, value == null ? "is required" : "must list at least two outcomes"));
      return List.of();
    }
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = path + "[" + i + "]";
      if (!(list.get(i) instanceof String name)
          || !OutcomeVocabulary.NAME.matcher(name).matches()) {
        problems.add(new Problem(at, "must be a name matching " + OutcomeVocabulary.NAME));
      } else if (OutcomeVocabulary.REVIEW.equals(name)) {
        problems.add(new Problem(at, "review is the route to humans, not an outcome"));
      } else if (outcomes.contains(name)) {
        problems.add(new Problem(at, "'" + name + "' is listed twice"));
      } else {
        outcomes.add(name);
      }
    }
    return outcomes;
  }

  private static Map<String, String> labels(
      Object value, List<String> outcomes, List<Problem> problems) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (value == null) {
      return labels;
    }
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(new Problem("vocabulary.labels", "must map model labels to outcomes"));
      return labels;
    }
    map.forEach(
        (label, outcome) -> {
          String at = "vocabulary.labels." + label;
          if (!(label instanceof String l) || l.isEmpty()) {
            problems.add(new Problem(at, "a label must be a non-empty string"));
          } else if (!(outcome instanceof String o) || !outcomes.contains(o)) {
            problems.add(new Problem(at, "must be one of " + outcomes));
          } else {
            labels.put(l, o);
          }
        });
    return labels;
  }
}
