package io.arbiter.monitor;

import io.arbiter.decision.ContextMatch;
import io.arbiter.decision.DecisionRequestParser;
import java.util.Collection;
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
 * ContextMatch}): a text as it is, a number or boolean as written.
 */
public record ContextTags(Optional<String> key, List<ContextMatch> known) {

  /** The tag's name: its value is the configured key's. */
  public static final String NAME = "context";

  /** Stands for every value that was not declared. */
  public static final String OTHER = TenantTags.OTHER;

  /** A decision whose context lacks the key; empty, which Prometheus reads as no label. */
  public static final String NONE = "";

  /** No context tag. */
  public static final ContextTags NONE_DECLARED = new ContextTags(Optional.empty(), List.of());

  public ContextTags {
    known = List.copyOf(known);
  }

  /**
   * The tag of {@code key}, counting {@code values} under their own name.
   *
   * @throws IllegalArgumentException naming the setting at fault: a key that is no context key, or
   *     values without a key, or a value that is empty or too long
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
    List<ContextMatch> known =
        values.stream()
            .map(
                value -> {
                  try {
                    return new ContextMatch(key.get(), value);
                  } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                        "arbiter.metrics.context-values: '" + value + "': " + e.getMessage(), e);
                  }
                })
            .toList();
    return new ContextTags(key, known);
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
    return known.stream()
        .filter(match -> match.matches(context))
        .findFirst()
        .map(ContextMatch::value)
        .orElse(OTHER);
  }

  /** The tag of {@code value}, if counters carry one. */
  public Optional<Tag> of(String value) {
    return key.map(k -> new Tag(NAME, value));
  }
}
