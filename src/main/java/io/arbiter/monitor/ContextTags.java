package io.arbiter.monitor;

import io.arbiter.decision.ContextMatch;
import io.arbiter.decision.DecisionRequestParser;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The context tag of a counter's series: the value one context key (a site, a channel) has in a
 * decision, bounded as {@link TenantTags} bounds tenants. Context values are whatever integrators
 * send, so only the values an operator declared ({@code arbiter.metrics.context-values}) are tag
 * values; a decision with another value for the key is counted as {@link #OTHER}, one without the
 * key as {@link #NONE}. Without a key ({@code arbiter.metrics.context-key} unset) no counter has
 * the tag, and the series are as they were.
 *
 * <p>Values are matched as the context filters of the HITL and review figures match them ({@link
 * ContextMatch}): a text as it is, a boolean as written, a number as a number (1.0 is 1). {@link
 * #value} runs on every submission, so the declared numbers are parsed once, here.
 */
public final class ContextTags {

  /** The tag's name: its value is the configured key's. */
  public static final String NAME = "context";

  /** Stands for every value that was not declared. */
  public static final String OTHER = TenantTags.OTHER;

  /** A decision whose context lacks the key; empty, which Prometheus reads as no label. */
  public static final String NONE = "";

  /** No context tag. */
  public static final ContextTags NONE_DECLARED = new ContextTags(Optional.empty(), List.of());

  private final Optional<String> key;
  private final List<String> known;

  /** The declared values that are numbers, by their canonical form. */
  private final Map<String, String> numbers;

  private ContextTags(Optional<String> key, List<String> known) {
    this.key = key;
    this.known = List.copyOf(known);
    Map<String, String> numeric = new HashMap<>();
    for (String value : known) {
      String canonical = canonical(value);
      if (canonical != null) {
        numeric.putIfAbsent(canonical, value);
      }
    }
    this.numbers = Map.copyOf(numeric);
  }

  /**
   * The tag of {@code key}, counting {@code values} under their own name.
   *
   * @throws IllegalArgumentException naming the setting at fault: a key that is no context key,
   *     values without a key, a value that is empty, too long or named {@link #OTHER}
   */
  public static ContextTags declared(Optional<String> key, Collection<String> values) {
    if (key.isEmpty()) {
      if (!values.isEmpty()) {
        throw new IllegalArgumentException(
            "arbiter.metrics.context-values is set without arbiter.metrics.context-key");
      }
      return NONE_DECLARED;
    }
    if (!DecisionRequestParser.NAME.matcher(key.get()).matches()) {
      throw new IllegalArgumentException(
          "arbiter.metrics.context-key: '"
              + key.get()
              + "' is no context key (it must match "
              + DecisionRequestParser.NAME.pattern()
              + ")");
    }
    if (values.contains(OTHER)) {
      throw new IllegalArgumentException(
          "arbiter.metrics.context-values: 'other' stands for every value not declared, so a value"
              + " named so could not be told from them");
    }
    for (String value : values) {
      try {
        new ContextMatch(key.get(), value); // the figures' own rule for a context value
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "arbiter.metrics.context-values: '" + value + "': " + e.getMessage(), e);
      }
    }
    return new ContextTags(key, List.copyOf(values));
  }

  /** Whether counters carry the tag at all. */
  public boolean enabled() {
    return key.isPresent();
  }

  /**
   * The tag value of a decision with {@code context}: a declared value it has, {@link #OTHER} for
   * another, {@link #NONE} without the key (or without a key configured).
   */
  public String value(Map<String, Object> context) {
    if (key.isEmpty() || !context.containsKey(key.get())) {
      return NONE;
    }
    Object found = context.get(key.get());
    if (found instanceof String || found instanceof Boolean) {
      String text = found.toString();
      return known.contains(text) ? text : OTHER;
    }
    if (found instanceof Number number) {
      String canonical = canonical(number.toString());
      return canonical == null ? OTHER : numbers.getOrDefault(canonical, OTHER);
    }
    return OTHER;
  }

  /** The tag of {@code value}, if counters carry one. */
  public Optional<Tag> of(String value) {
    return key.map(k -> new Tag(NAME, value));
  }

  /** A number's canonical form (1.0 and 1 alike), or null for text that is no number. */
  private static String canonical(String text) {
    try {
      BigDecimal number = new BigDecimal(text).stripTrailingZeros();
      return number.signum() == 0 ? "0" : number.toPlainString();
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
