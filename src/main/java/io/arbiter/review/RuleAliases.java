package io.arbiter.review;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Neutral names for the rules of one policy version, for blind review: {@code rule-1}, {@code
 * rule-2}, … in the order a verdict may cite them (guardrails, rules, then the default route).
 *
 * <p>Why: authors name rules for what they catch ({@code malignant-two-blind}, "the model is
 * unsure"), so a rule's id can tell a blind reviewer the model's call. An alias tells nothing but
 * the rule's place in the document. Policy versions are immutable, so a version's aliases never
 * change: a reviewer's cited alias means the same rule whenever it is read back.
 *
 * <p>A blind review speaks only aliases, a sighted one only real ids; never a mix, because a policy
 * may itself name a rule {@code rule-2}.
 */
public final class RuleAliases {

  /** What an alias is made of: this and the rule's 1-based place. */
  public static final String PREFIX = "rule-";

  /** Shown for a rule the version does not have (it cannot happen; it must not leak if it did). */
  public static final String UNKNOWN = "rule-unknown";

  /** No policy routed the task: there is nothing to alias or cite. */
  public static final RuleAliases NONE = new RuleAliases(List.of());

  private final List<String> aliases;
  private final Map<String, String> aliasOf;
  private final Map<String, String> ruleOf;

  /**
   * @param ruleIds the version's citable rule ids, in document order (no duplicates)
   */
  public RuleAliases(List<String> ruleIds) {
    List<String> names = new ArrayList<>(ruleIds.size());
    Map<String, String> forward = new HashMap<>();
    Map<String, String> back = new HashMap<>();
    for (int i = 0; i < ruleIds.size(); i++) {
      String alias = PREFIX + (i + 1);
      if (forward.putIfAbsent(ruleIds.get(i), alias) != null) {
        throw new IllegalArgumentException("rule " + ruleIds.get(i) + " is listed twice");
      }
      back.put(alias, ruleIds.get(i));
      names.add(alias);
    }
    this.aliases = List.copyOf(names);
    this.aliasOf = Map.copyOf(forward);
    this.ruleOf = Map.copyOf(back);
  }

  /** Every alias, in the order of the rule ids given. */
  public List<String> aliases() {
    return aliases;
  }

  /** The alias of {@code ruleId}; {@link #UNKNOWN} for an id the version does not have. */
  public String alias(String ruleId) {
    return aliasOf.getOrDefault(ruleId, UNKNOWN);
  }

  /** The aliases of {@code ruleIds}, in order. */
  public List<String> aliases(List<String> ruleIds) {
    return ruleIds.stream().map(this::alias).toList();
  }

  /** The rule an alias stands for; empty when it is not one of this version's aliases. */
  public Optional<String> rule(String alias) {
    return Optional.ofNullable(ruleOf.get(alias));
  }
}
