package io.arbiter.testing;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.smallrye.metrics.SharedMetricRegistries;
import io.smallrye.metrics.legacyapi.LegacyMetricRegistryAdapter;
import org.eclipse.microprofile.metrics.MetricFilter;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The MicroProfile Metrics application registry outside Liberty: SmallRye Metrics 5.1.0 over
 * Micrometer with its Prometheus registry, the implementation Liberty's mpMetrics-5.1 runs (pom.xml
 * says which versions). Built as Liberty builds it, through {@link SharedMetricRegistries}:
 * SmallRye registers every meter in Micrometer's global composite registry, which forwards each
 * update to the Prometheus registry; a registry made any other way is left without that child and
 * every update is a no-op, which would make a benchmark look cheaper than production.
 */
public final class TestMetrics {

  private TestMetrics() {}

  /** The application registry, emptied: no figures carry over from an earlier test or run. */
  public static synchronized MetricRegistry registry() {
    MetricRegistry registry = SharedMetricRegistries.getOrCreate(MetricRegistry.APPLICATION_SCOPE);
    registry.removeMatching(MetricFilter.ALL);
    return registry;
  }

  /**
   * The registry's figures in Prometheus text, as {@code /metrics?scope=application} serves them.
   */
  public static String scrape(MetricRegistry registry) {
    return ((PrometheusMeterRegistry)
            ((LegacyMetricRegistryAdapter) registry).getPrometheusMeterRegistry())
        .scrape();
  }
}
