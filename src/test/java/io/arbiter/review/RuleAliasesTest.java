package io.arbiter.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleAliasesTest {

  private final RuleAliases aliases =
      new RuleAliases(List.of("malignant-two-blind", "rule-1", "default"));

  @Test
  void alias_ruleOfTheVersion_isItsPlaceInDocumentOrder() {
    assertEquals(List.of("rule-1", "rule-2", "rule-3"), aliases.aliases());
    assertEquals("rule-1", aliases.alias("malignant-two-blind"));
    assertEquals(
        List.of("rule-3", "rule-1"), aliases.aliases(List.of("default", "malignant-two-blind")));
  }

  @Test
  void rule_alias_resolvesToTheRealId_evenWhenARealIdLooksLikeAnAlias() {
    assertEquals(Optional.of("malignant-two-blind"), aliases.rule("rule-1"));
    assertEquals(Optional.of("rule-1"), aliases.rule("rule-2"));
    assertEquals(Optional.empty(), aliases.rule("malignant-two-blind"));
    assertEquals(Optional.empty(), aliases.rule("rule-4"));
  }

  @Test
  void alias_ruleNotInTheVersion_isNeutral() {
    assertEquals(RuleAliases.UNKNOWN, aliases.alias("benign-fast-path"));
    assertEquals(List.of(), RuleAliases.NONE.aliases());
  }

  @Test
  void create_duplicateRuleIds_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RuleAliases(List.of("a", "a")));
  }
}
