package io.arbiter.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * What intake does with a request's inputs that the governing policy version does not declare (the
 * policy's {@code undeclaredInputs}). No condition can read them, so they never change a route; the
 * question is only whether they are kept, and keeping what nobody declared is how a {@code
 * patient_age} ends up in the record forever.
 */
public enum UndeclaredInputs {
  /** Not recorded; the answer to the submission warns, naming each. The default. */
  DROP("drop"),
  /** The request is refused ({@code 422 invalid-request}), naming each; nothing is recorded. */
  REFUSE("refuse");

  private final String wireName;

  UndeclaredInputs(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  static Optional<UndeclaredInputs> fromWireName(String name) {
    return Arrays.stream(values()).filter(v -> v.wireName.equals(name)).findFirst();
  }
}
