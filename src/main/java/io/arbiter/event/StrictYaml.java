package io.arbiter.event;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The one way Arbiter reads YAML (and so JSON) documents — policies, model seeds, review queues,
 * objectives, tenant grants: duplicate keys and aliases refused, and nesting bounded.
 *
 * <p>SnakeYAML Engine composes nodes recursively, so a document nested some thousands of levels
 * deep overflows the stack (a policy 20,000 levels deep once got a 500). Its parser is not
 * recursive: the document's events are read first, counting depth, and nothing is composed when
 * they go deeper than {@link #MAX_DEPTH}.
 */
public final class StrictYaml {

  /** No document Arbiter reads needs more than a handful of levels; this leaves room to spare. */
  public static final int MAX_DEPTH = 64;

  private StrictYaml() {}

  /**
   * @return the document's root: a map, list, scalar, or null for an empty document
   * @throws YamlEngineException when it is not valid YAML, repeats a key, uses an alias, or nests
   *     deeper than {@link #MAX_DEPTH} (the message gives the line and column)
   */
  public static Object load(String text) {
    LoadSettings settings =
        LoadSettings.builder().setAllowDuplicateKeys(false).setMaxAliasesForCollections(0).build();
    int depth = 0;
    for (Event event : new Parse(settings).parseString(text)) {
      switch (event.getEventId()) {
        case MappingStart, SequenceStart -> {
          if (++depth > MAX_DEPTH) {
            throw new YamlEngineException(
                "nested deeper than "
                    + MAX_DEPTH
                    + " levels"
                    + event
                        .getStartMark()
                        .map(
                            m ->
                                " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
                        .orElse(""));
          }
        }
        case MappingEnd, SequenceEnd -> depth--;
        default -> {}
      }
    }
    return new Load(settings).loadFromString(text);
  }
}
