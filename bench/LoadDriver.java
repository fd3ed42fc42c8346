import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver for Arbiter's decision intake: submits decisions with C concurrent clients against a
 * running server and prints decisions/s and latency percentiles, beside a baseline run of the same
 * shape against a trivial endpoint of the same server (the HTTP + security floor). While intake
 * runs it samples the projection's lag (GET /api/v1/journal as an admin), and after it stops it
 * times how long the graph takes to catch up, and reports disk per decision. Latency is each
 * response's own (a refused client's back-off is not counted), over all responses and again over
 * the accepted ones alone.
 *
 * <p>Run with the JDK alone: {@code java bench/LoadDriver.java --seconds 300 --c 32}. Options:
 * --url (http://localhost:9080), --n (requests per phase) or --seconds (duration of each phase),
 * --c (concurrent clients), --warmup (requests before measuring), --user/--password
 * (integrator/arbiter), --admin/--admin-password (admin/arbiter, for the lag), --review-share
 * (fraction of decisions the demo policy sends to review, 0..1), --no-baseline,
 * --ignore-retry-after (clients told 503 retry at once instead of waiting as Retry-After says).
 */
public class LoadDriver {

  public static void main(String[] args) throws Exception {
    String url = option(args, "--url", "http://localhost:9080");
    int n = Integer.parseInt(option(args, "--n", "10000"));
    double seconds = Double.parseDouble(option(args, "--seconds", "0"));
    int c = Integer.parseInt(option(args, "--c", "16"));
    int warmup = Integer.parseInt(option(args, "--warmup", String.valueOf(Math.min(n, 2000))));
    String password = option(args, "--password", System.getenv().getOrDefault("ARBITER_DEMO_PASSWORD", "arbiter"));
    String auth = basic(option(args, "--user", "integrator"), password);
    String admin = basic(option(args, "--admin", "admin"), option(args, "--admin-password", password));
    double reviewShare = Double.parseDouble(option(args, "--review-share", "0.3"));
    boolean baseline = !Arrays.asList(args).contains("--no-baseline");
    RETRY_AFTER = !Arrays.asList(args).contains("--ignore-retry-after");

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    System.out.printf(Locale.ROOT, "Arbiter load driver: %s, %s per phase, %d clients, %d warm-up%n",
        url, seconds > 0 ? seconds + " s" : n + " requests", c, warmup);
    System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));

    Request submit = i -> HttpRequest.newBuilder(URI.create(url + "/api/v1/decisions"))
        .header("Authorization", auth).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(decision(i, reviewShare))).build();
    // The newest decision: no filter to scan the index with. A filter matching nothing (this
    // baseline until 2026-12-06) walks every decision, so the "floor" fell as the store grew —
    // 2,138 requests/s at 22,000 decisions, 250/s at 150,000 — and stopped being one.
    Request floor = i -> HttpRequest.newBuilder(URI.create(url + "/api/v1/decisions?limit=1"))
        .header("Authorization", auth).GET().build();
    Journal journal = new Journal(client, url, admin);

    run(client, submit, warmup, 0, c, "warm-up", false, 0);
    Status before = journal.status();
    Lag lag = new Lag(journal);
    lag.start();
    Result intake = run(client, submit, n, seconds, c, "POST /api/v1/decisions", true, warmup);
    lag.stop();
    long stopped = System.nanoTime();
    Status after = journal.status();
    while (after != null && after.lagEvents() > 0 && System.nanoTime() - stopped < 120_000_000_000L) {
      Thread.sleep(100);
      after = journal.status();
    }
    if (after != null && before != null) {
      System.out.printf(Locale.ROOT,
          "projection lag during intake: p50 %d ms, p99 %d ms, max %d ms (%d samples); back to 0 %.1f s after the load stopped%n",
          lag.quantile(0.5), lag.quantile(0.99), lag.quantile(1.0), lag.samples(),
          (System.nanoTime() - stopped) / 1e9);
      long decisions = after.events() - before.events();
      System.out.printf(Locale.ROOT,
          "disk: journal %.1f MB, store %.1f MB for %d events in all; this run added %d events, %.1f KB each (journal + store)%n",
          after.journalBytes() / 1e6, after.storeBytes() / 1e6, after.events(), decisions,
          decisions == 0 ? 0 : (after.journalBytes() + after.storeBytes() - before.journalBytes() - before.storeBytes()) / 1e3 / decisions);
    }
    if (baseline) {
      run(client, floor, warmup, 0, c, "warm-up", false, 0);
      Result base = run(client, floor, n, seconds, c, "baseline GET /api/v1/decisions?limit=1", true, 0);
      System.out.printf(Locale.ROOT, "intake throughput (decisions taken, 2xx) is %.0f%% of the baseline's%n",
          100.0 * intake.acceptedPerSecond() / base.perSecond());
    }
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Whether a client told 503 with Retry-After waits that long before its next request. */
  static boolean RETRY_AFTER = true;

  interface Request {
    HttpRequest build(int i);
  }

  /** All responses per second, and those answered 2xx (for intake: decisions taken). */
  record Result(double perSecond, double acceptedPerSecond) {}

  record Status(long events, long journalBytes, long storeBytes, long lagEvents, long lagMillis) {}

  /** GET /api/v1/journal, read with regular expressions: the driver needs the JDK alone. */
  record Journal(HttpClient client, String url, String auth) {
    Status status() {
      try {
        String body = client.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/journal"))
            .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        return new Status(number(body, "events"), number(body, "bytes"), number(body, "storeBytes"),
            number(body, "lagEvents"), number(body, "lagMillis"));
      } catch (Exception e) {
        return null;
      }
    }

    static long number(String json, String name) {
      Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
  }

  /** Samples the projection's lag every 250 ms while intake runs. */
  static final class Lag {
    private final Journal journal;
    private final List<Long> millis = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Lag(Journal journal) {
      this.journal = journal;
      this.thread = new Thread(() -> {
        while (running.get()) {
          Status status = journal.status();
          if (status != null) {
            synchronized (millis) {
              millis.add(status.lagMillis());
            }
          }
          try {
            Thread.sleep(250);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    int samples() {
      return millis.size();
    }

    long quantile(double q) {
      if (millis.isEmpty()) {
        return 0;
      }
      long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
      return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1))];
    }
  }

  /** A demo-credit decision; about reviewShare of them exceed the large-amount rule. */
  static String decision(int i, double reviewShare) {
    long amount = (i % 1000) < reviewShare * 1000 ? 60_000 + i % 40_000 : 1_000 + i % 20_000;
    return """
        {"model":{"name":"demo-credit","version":"1"},"subject":"bench-%d",
         "input":{"amount":%d,"income":56000,"riskScore":{"value":0.%02d,"source":"bureau"}},
         "output":{"label":"approve","score":0.8,"confidence":0.9,"explanation":{"income":0.4,"amount":-0.1}},
         "context":{"region":"EU","channel":"web"}}""".formatted(i, amount, i % 30);
  }

  /**
   * Runs {@code n} requests, or as many as fit in {@code seconds} when that is positive, from
   * {@code c} clients; request numbers start at {@code offset} (so subjects do not repeat).
   */
  static Result run(HttpClient client, Request request, int n, double seconds, int c, String label,
      boolean print, int offset) throws Exception {
    AtomicInteger next = new AtomicInteger();
    long deadline = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
    int limit = seconds > 0 ? Integer.MAX_VALUE : n;
    AtomicLong errors = new AtomicLong();
    ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(c);
    List<long[]> perClient = new ArrayList<>();
    int[] counts = new int[c];
    long started = System.nanoTime();
    for (int t = 0; t < c; t++) {
      int me = t;
      long[][] mine = {new long[1024]};
      synchronized (perClient) {
        perClient.add(null);
      }
      Thread thread = new Thread(() -> {
        try {
          for (int i; System.nanoTime() < deadline && (i = next.getAndIncrement()) < limit; ) {
            long t0 = System.nanoTime();
            long took = 0;
            try {
              HttpResponse<Void> response = client.send(request.build(offset + i), HttpResponse.BodyHandlers.discarding());
              // The response's own latency: the back-off below is the client's, not the server's
              // (until 2026-12-07 it was counted in, and every refusal read as a 2 s request).
              took = System.nanoTime() - t0;
              if (response.statusCode() / 100 != 2) {
                took = -took; // kept apart: the accepted requests' percentiles are what intake costs
              }
              statuses.computeIfAbsent(response.statusCode(), k -> new AtomicInteger()).incrementAndGet();
              if (RETRY_AFTER && response.statusCode() == 503) {
                // A well-behaved client backs off as told (RFC 9110 10.2.3), bounded by the phase.
                long wait = response.headers().firstValueAsLong("Retry-After").orElse(0) * 1_000_000_000L;
                Thread.sleep(Math.max(0, Math.min(wait, deadline - System.nanoTime())) / 1_000_000L);
              }
            } catch (Exception e) {
              errors.incrementAndGet();
              took = -(System.nanoTime() - t0);
            }
            if (counts[me] == mine[0].length) {
              mine[0] = Arrays.copyOf(mine[0], mine[0].length * 2);
            }
            mine[0][counts[me]++] = took;
          }
        } finally {
          synchronized (perClient) {
            perClient.set(me, Arrays.copyOf(mine[0], counts[me]));
          }
          done.countDown();
        }
      });
      thread.start();
    }
    done.await();
    double took = (System.nanoTime() - started) / 1e9;
    long[] latencies = perClient.stream().flatMapToLong(Arrays::stream).map(Math::abs).sorted().toArray();
    long[] ok = perClient.stream().flatMapToLong(Arrays::stream).filter(l -> l >= 0).sorted().toArray();
    double perSecond = latencies.length / took;
    long accepted = statuses.entrySet().stream().filter(e -> e.getKey() / 100 == 2)
        .mapToLong(e -> e.getValue().get()).sum();
    if (print && latencies.length > 0) {
      System.out.printf(Locale.ROOT, "%-45s %8.0f req/s, %8.0f 2xx/s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (%d in %.0f s) statuses %s errors %d%n",
          label, perSecond, accepted / took, ms(latencies, 0.50), ms(latencies, 0.90), ms(latencies, 0.99),
          latencies[latencies.length - 1] / 1e6, latencies.length, took, statuses, errors.get());
      if (ok.length > 0 && ok.length < latencies.length) {
        System.out.printf(Locale.ROOT, "%-45s %8s        2xx only   p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (%d)%n",
            "", "", ms(ok, 0.50), ms(ok, 0.90), ms(ok, 0.99), ok[ok.length - 1] / 1e6, ok.length);
      }
    }
    return new Result(perSecond, accepted / took);
  }

  static double ms(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
