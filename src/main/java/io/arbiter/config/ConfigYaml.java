package io.arbiter.config;

import io.arbiter.event.StrictYaml;
import java.util.Map;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a deployment's YAML (or JSON) configuration document — model seeds, review queues,
 * objectives — the one strict way ({@link StrictYaml}), the root a mapping.
 */
public final class ConfigYaml {

  private ConfigYaml() {}

  /**
   * @param what what the document is, for messages ("review queues", "model seed")
   * @throws IllegalArgumentException naming the source when it is not valid YAML or not a mapping
   */
  public static Map<?, ?> mapping(String what, String sourceName, String text) {
    Object root;
    try {
      root = StrictYaml.load(text);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException(
          what + " " + sourceName + ": not valid YAML: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(what + " " + sourceName + ": must be a mapping");
    }
    return map;
  }
}
