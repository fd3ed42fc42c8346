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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load driver for Arbiter's decision intake: submits N decisions with C concurrent clients against
 * a running server and prints decisions/s and latency percentiles, beside a baseline run of the
 * same shape against a trivial endpoint of the same server (the HTTP + security floor).
 *
 * <p>Run with the JDK alone: {@code java bench/LoadDriver.java --n 20000 --c 16}. Options:
 * --url (http://localhost:9080), --n (requests per phase), --c (concurrent clients), --warmup
 * (requests before measuring), --user/--password (integrator/arbiter), --review-share (fraction of
 * decisions the demo policy sends to review, 0..1), --no-baseline.
 */
public class LoadDriver {

  public static void main(String[] args) throws Exception {
    String url = option(args, "--url", "http://localhost:9080");
    int n = Integer.parseInt(option(args, "--n", "10000"));
    int c = Integer.parseInt(option(args, "--c", "16"));
    int warmup = Integer.parseInt(option(args, "--warmup", String.valueOf(Math.min(n, 2000))));
    String user = option(args, "--user", "integrator");
    String password = option(args, "--password", System.getenv().getOrDefault("ARBITER_DEMO_PASSWORD", "arbiter"));
    double reviewShare = Double.parseDouble(option(args, "--review-share", "0.3"));
    boolean baseline = !Arrays.asList(args).contains("--no-baseline");
    String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    System.out.printf(Locale.ROOT, "Arbiter load driver: %s, %d requests per phase, %d clients, %d warm-up%n",
        url, n, c, warmup);
    System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));

    Request submit = i -> HttpRequest.newBuilder(URI.create(url + "/api/v1/decisions"))
        .header("Authorization", auth).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(decision(i, reviewShare))).build();
    Request floor = i -> HttpRequest.newBuilder(URI.create(url + "/api/v1/decisions?limit=1&route=reject&model=none"))
        .header("Authorization", auth).GET().build();

    run(client, submit, warmup, c, "warm-up", false);
    Result intake = run(client, submit, n, c, "POST /api/v1/decisions", true);
    if (baseline) {
      run(client, floor, warmup, c, "warm-up", false);
      Result base = run(client, floor, n, c, "baseline GET /api/v1/decisions (empty page)", true);
      System.out.printf(Locale.ROOT, "intake throughput is %.0f%% of the baseline's%n",
          100.0 * intake.perSecond() / base.perSecond());
    }
  }

  interface Request {
    HttpRequest build(int i);
  }

  record Result(double perSecond) {}

  /** A demo-credit decision; about reviewShare of them exceed the large-amount rule. */
  static String decision(int i, double reviewShare) {
    long amount = (i % 1000) < reviewShare * 1000 ? 60_000 + i % 40_000 : 1_000 + i % 20_000;
    return """
        {"model":{"name":"demo-credit","version":"1"},"subject":"bench-%d",
         "input":{"amount":%d,"income":56000,"riskScore":{"value":0.%02d,"source":"bureau"}},
         "output":{"label":"approve","score":0.8,"confidence":0.9,"explanation":{"income":0.4,"amount":-0.1}},
         "context":{"region":"EU","channel":"web"}}""".formatted(i, amount, i % 30);
  }

  static Result run(HttpClient client, Request request, int n, int c, String label, boolean print) throws Exception {
    AtomicInteger next = new AtomicInteger();
    long[] latencies = new long[n];
    AtomicLong errors = new AtomicLong();
    ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(c);
    long started = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < c; t++) {
      Thread thread = new Thread(() -> {
        try {
          for (int i; (i = next.getAndIncrement()) < n; ) {
            long t0 = System.nanoTime();
            try {
              HttpResponse<Void> response = client.send(request.build(i), HttpResponse.BodyHandlers.discarding());
              statuses.computeIfAbsent(response.statusCode(), k -> new AtomicInteger()).incrementAndGet();
            } catch (Exception e) {
              errors.incrementAndGet();
            }
            latencies[i] = System.nanoTime() - t0;
          }
        } finally {
          done.countDown();
        }
      });
      threads.add(thread);
      thread.start();
    }
    done.await();
    double seconds = (System.nanoTime() - started) / 1e9;
    Arrays.sort(latencies);
    double perSecond = n / seconds;
    if (print) {
      System.out.printf(Locale.ROOT, "%-45s %8.0f req/s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  statuses %s errors %d%n",
          label, perSecond, ms(latencies, 0.50), ms(latencies, 0.90), ms(latencies, 0.99),
          latencies[n - 1] / 1e6, statuses, errors.get());
    }
    return new Result(perSecond);
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
