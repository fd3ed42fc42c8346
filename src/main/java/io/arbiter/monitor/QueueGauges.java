package io.arbiter.monitor;

import io.arbiter.review.ReviewService;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The depth and oldest-task age of review queues, one pair of gauges per queue, read from the
 * review service when scraped. A queue gets its gauges when first named, at start-up or when the
 * first decision is sent to it; naming it again costs one set lookup.
 */
final class QueueGauges {

  private final MetricRegistry registry;
  private final ReviewService reviews;
  private final Clock clock;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  QueueGauges(MetricRegistry registry, ReviewService reviews, Clock clock) {
    this.registry = registry;
    this.reviews = reviews;
    this.clock = clock;
  }

  void add(String queue) {
    if (!registered.add(queue)) {
      return;
    }
    Tag tag = new Tag("queue", queue);
    registry.gauge("arbiter_review_queue_depth", reviews, r -> r.load(queue).depth(), tag);
    registry.gauge(
        "arbiter_review_queue_oldest_age_seconds",
        reviews,
        r ->
            r.load(queue)
                .oldest()
                .map(oldest -> Duration.between(oldest, clock.instant()).toSeconds())
                .orElse(0L),
        tag);
  }
}
