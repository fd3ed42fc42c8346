package io.arbiter.review;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Neutral names for the rules of one policy version in one blind task: {@code rule-1}, {@code
 * rule-2}, … numbered in an order drawn for the task: by HMAC-SHA256, under a secret of the
 * server's ({@link AliasSecret}), of the task's id and each rule's.
 *
 * <p>Why: authors name rules for what they catch ({@code malignant-two-blind}, "the model is
 * unsure"), so a rule's id can tell a blind reviewer the model's call. An alias tells nothing but
 * its number, and the number means another rule in another task: a reviewer who learns, once a task
 * is settled, which rule its alias stood for (and so every rule id of the version) learns nothing
 * about the next task's. Aliases numbered in document order would have told them from then on, and
 * so would a digest without a secret, which anyone knowing the ids can compute. The order is a pure
 * function of the secret, the task and its immutable policy version, so a cited alias means the
 * same rule whenever the task is read back.
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
   * @param ruleIds the version's citable rule ids (no duplicates)
   * @param task the task whose aliases these are: it draws their order
   * @param secret the server's key for the draw
   */
  public RuleAliases(List<String> ruleIds, String task, AliasSecret secret) {
    this(drawn(ruleIds, task, secret));
  }

  /** Aliases numbering {@code ordered} as they come. */
  private RuleAliases(List<String> ordered) {
    List<String> names = new ArrayList<>(ordered.size());
    Map<String, String> forward = new HashMap<>();
    Map<String, String> back = new HashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      String alias = PREFIX + (i + 1);
      if (forward.putIfAbsent(ordered.get(i), alias) != null) {
        throw new IllegalArgumentException("rule " + ordered.get(i) + " is listed twice");
      }
      back.put(alias, ordered.get(i));
      names.add(alias);
    }
    this.aliases = List.copyOf(names);
    this.aliasOf = Map.copyOf(forward);
    this.ruleOf = Map.copyOf(back);
  }

  /**
   * {@code ruleIds} in the task's order: by the keyed digest of the task id and the rule id
   * (distinct rule ids give distinct digests, so the order is total).
   */
  private static List<String> drawn(List<String> ruleIds, String task, AliasSecret secret) {
    Map<String, String> keys = new HashMap<>();
    for (String rule : ruleIds) {
      keys.put(rule, java.util.HexFormat.of().formatHex(secret.mac(task + "\u0000" + rule)));
    }
    List<String> ordered = new ArrayList<>(ruleIds);
    ordered.sort(java.util.Comparator.comparing(keys::get));
    return ordered;
  }

  /** Every alias, rule-1 first. */
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

  /** The rule an alias stands for; empty when it is not one of this task's aliases. */
  public Optional<String> rule(String alias) {
    return Optional.ofNullable(ruleOf.get(alias));
  }
}
