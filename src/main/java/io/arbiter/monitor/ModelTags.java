package io.arbiter.monitor;

import io.arbiter.registry.ModelVersionRef;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The model tags of a counter's series, so that one team's figures on {@code /metrics} do not mix
 * with everyone's. A series per tag value costs memory in Arbiter and in every scraper, and model
 * names come from integrators' requests, so only registered model versions name their series: a
 * decision for a version the registry did not know is tagged {@link #UNREGISTERED}, and the number
 * of series is bounded by the registry, which only its governed registration grows. The version tag
 * can be left out ({@code arbiter.metrics.model-version-tag=false}) where a registry holds many
 * versions.
 *
 * <p>Every series of one metric carries the same tag names (Prometheus requires it), so whether the
 * version is a tag is decided once, at wiring.
 */
public record ModelTags(boolean withVersion) {

  /** Stands for any model or version the registry did not know. */
  public static final String UNREGISTERED = "unregistered";

  /** {@code others} followed by the model's tags. */
  public Tag[] of(ModelVersionRef model, boolean registered, Tag... others) {
    List<Tag> tags = new ArrayList<>(List.of(others));
    tags.add(new Tag("model", registered ? model.name() : UNREGISTERED));
    if (withVersion) {
      tags.add(new Tag("version", registered ? model.version() : UNREGISTERED));
    }
    return tags.toArray(Tag[]::new);
  }

  /**
   * What identifies a series of a metric: its other tag's value, the model's tags, the tenant tag's
   * value ({@link TenantTags}) and the context tag's ({@link ContextTags}).
   */
  record Series(String other, String model, String version, String tenant, String context) {
    static Series of(
        String other,
        ModelVersionRef model,
        boolean registered,
        boolean version,
        String tenant,
        String context) {
      return new Series(
          other,
          registered ? model.name() : UNREGISTERED,
          !version ? "" : registered ? model.version() : UNREGISTERED,
          tenant,
          context);
    }
  }
}
