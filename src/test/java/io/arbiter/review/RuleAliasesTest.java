package io.arbiter.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleAliasesTest {

  private static final List<String> RULES =
      List.of("unsure", "malignant-two-blind", "rule-1", "default");

  private static final AliasSecret SECRET = new AliasSecret(AliasSecret.generate());

  private final RuleAliases aliases = new RuleAliases(RULES, "task-a", SECRET);

  @Test
  void aliases_numberEveryRule_andResolveBack_evenWhenARealIdLooksLikeAnAlias() {
    assertEquals(List.of("rule-1", "rule-2", "rule-3", "rule-4"), aliases.aliases());
    for (String rule : RULES) {
      assertEquals(Optional.of(rule), aliases.rule(aliases.alias(rule)), rule);
    }
    assertEquals(Optional.empty(), aliases.rule("malignant-two-blind"));
    assertEquals(Optional.empty(), aliases.rule("rule-5"));
    assertEquals(
        List.of(aliases.alias("default"), aliases.alias("unsure")),
        aliases.aliases(List.of("default", "unsure")));
  }

  @Test
  void aliases_ofOneTask_areTheSameWheneverRead() {
    RuleAliases again = new RuleAliases(RULES, "task-a", SECRET);
    for (String rule : RULES) {
      assertEquals(aliases.alias(rule), again.alias(rule), rule);
    }
  }

  /**
   * What a settled task teaches a reviewer (which rule its alias stood for) says nothing about the
   * next task's: over tasks, one rule's alias takes every number, and no number stays one rule.
   */
  @Test
  void aliases_differFromTaskToTask() {
    Set<String> aliasesOfTheBlindRule = new HashSet<>();
    Set<String> rulesOfRule1 = new HashSet<>();
    for (int task = 0; task < 200; task++) {
      RuleAliases drawn = new RuleAliases(RULES, "task-" + task, SECRET);
      aliasesOfTheBlindRule.add(drawn.alias("malignant-two-blind"));
      rulesOfRule1.add(drawn.rule("rule-1").orElseThrow());
    }
    assertEquals(Set.of("rule-1", "rule-2", "rule-3", "rule-4"), aliasesOfTheBlindRule);
    assertEquals(Set.copyOf(RULES), rulesOfRule1);
    assertTrue(aliasesOfTheBlindRule.size() > 1);
  }

  @Test
  void alias_ruleNotInTheVersion_isNeutral() {
    assertEquals(RuleAliases.UNKNOWN, aliases.alias("benign-fast-path"));
    assertEquals(List.of(), RuleAliases.NONE.aliases());
  }

  @Test
  void create_duplicateRuleIds_isRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new RuleAliases(List.of("a", "a"), "t", SECRET));
  }

  /**
   * The draw is keyed: what a reviewer can know (the task id, every rule id) does not give the
   * order without the server's secret, so another secret draws other orders.
   */
  @Test
  void aliases_underAnotherSecret_areDrawnOtherwise() {
    AliasSecret other = new AliasSecret(AliasSecret.generate());
    int differing = 0;
    for (int task = 0; task < 50; task++) {
      RuleAliases mine = new RuleAliases(RULES, "task-" + task, SECRET);
      RuleAliases theirs = new RuleAliases(RULES, "task-" + task, other);
      differing += mine.aliases(RULES).equals(theirs.aliases(RULES)) ? 0 : 1;
    }
    // 24 orders of four rules: equal by chance about twice in 50.
    assertTrue(differing > 40, "differing orders: " + differing);
    assertThrows(IllegalArgumentException.class, () -> new AliasSecret(new byte[16]));
  }

  @Test
  void secret_isMadeInItsFileOnce_andReadBack(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("keys/review-aliases.key");
    AliasSecret made = ReviewWiring.aliasSecret(file);
    assertTrue(java.nio.file.Files.exists(file));
    AliasSecret read = ReviewWiring.aliasSecret(file);
    for (int task = 0; task < 20; task++) {
      assertEquals(
          new RuleAliases(RULES, "task-" + task, made).aliases(RULES),
          new RuleAliases(RULES, "task-" + task, read).aliases(RULES));
    }
    java.nio.file.Files.writeString(file, "not a secret\n");
    assertThrows(IllegalStateException.class, () -> ReviewWiring.aliasSecret(file));
  }
}
