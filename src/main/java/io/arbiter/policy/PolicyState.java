package io.arbiter.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a policy version is in its life: {@code draft → approved → active | shadow → retired}. An
 * active or shadow version that another version displaces goes back to approved, so it can be
 * activated again (rollback); a retired version never comes back.
 */
public enum PolicyState {
  DRAFT,
  APPROVED,
  ACTIVE,
  SHADOW,
  RETIRED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<PolicyState> fromWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
  }
}
