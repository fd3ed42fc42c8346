package io.arbiter.decision;

import io.arbiter.problem.FieldError;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One key of a decision's context and the value it must have: how figures narrow to the decisions
 * of one site, region or channel (the {@code contextKey} and {@code contextValue} query
 * parameters). One key only, so a request cannot ask for an arbitrary conjunction; the value is
 * capped at {@link #MAX_VALUE} characters.
 *
 * <p>A context value matches when it is a text equal to {@code value}, a number equal to it as a
 * number ({@code 1200} matches {@code 1200.0}), or a boolean written {@code true} or {@code false}.
 * Lists, objects and an absent key never match.
 *
 * @param key a top-level context key ({@link DecisionRequestParser#NAME})
 * @param value at most {@link #MAX_VALUE} characters, not empty
 */
public record ContextMatch(String key, String value) {

  /** The {@code contextValue} parameter as every endpoint that filters by context documents it. */
  public static final String VALUE_DESCRIPTION =
      "The value contextKey must have: a text, or a number or boolean as written (with contextKey)";

  public static final int MAX_VALUE = 256;

  public ContextMatch {
    if (!DecisionRequestParser.NAME.matcher(key).matches()) {
      throw new IllegalArgumentException("not a context key: " + key);
    }
    if (value.isEmpty() || value.length() > MAX_VALUE) {
      throw new IllegalArgumentException("a context value has 1 to " + MAX_VALUE + " characters");
    }
  }

  /**
   * The match two query parameters ask for: both absent (none), or both present and valid; what is
   * wrong is added to {@code errors}, naming the parameter.
   */
  public static Optional<ContextMatch> parse(String key, String value, List<FieldError> errors) {
    if (key == null && value == null) {
      return Optional.empty();
    }
    int before = errors.size();
    if (key == null) {
      errors.add(new FieldError("contextKey", "is given with contextValue"));
    } else if (!DecisionRequestParser.NAME.matcher(key).matches()) {
      errors.add(
          new FieldError("contextKey", "must match " + DecisionRequestParser.NAME.pattern()));
    }
    if (value == null) {
      errors.add(new FieldError("contextValue", "is given with contextKey"));
    } else if (value.isEmpty() || value.length() > MAX_VALUE) {
      errors.add(new FieldError("contextValue", "must have 1 to " + MAX_VALUE + " characters"));
    }
    return errors.size() > before ? Optional.empty() : Optional.of(new ContextMatch(key, value));
  }

  /** Whether a decision's context has {@link #key} with this value. */
  public boolean matches(Map<String, Object> context) {
    Object found = context.get(key);
    if (found instanceof String text) {
      return text.equals(value);
    }
    if (found instanceof Boolean flag) {
      return flag.toString().equals(value);
    }
    if (found instanceof BigDecimal number) {
      try {
        return number.compareTo(new BigDecimal(value)) == 0;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    if (found instanceof Number number) {
      // Facts read back from a decision's triples may hold other number types.
      try {
        return new BigDecimal(number.toString()).compareTo(new BigDecimal(value)) == 0;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return false;
  }
}
