package io.arbiter.bench;

import io.arbiter.testing.Browser;
import io.arbiter.testing.OwnServer;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long the workspace's decision page takes in headless Chromium over a seeded store (the
 * census's, {@link CensusSeed}): a server of its own over {@code data}, the auditor signed in, then
 * one settled decision after another opened and timed from the start of the navigation to the
 * page's {@code arbiter:decision-shown} mark (facts, route and trace) and to its {@code
 * arbiter:decision-complete} mark (reviews, receipt verified, provenance drawn, lineage walked).
 * Writes to the store (checkpoints): run it over a copy. Arguments: data directory, port (9481),
 * decisions (30). Run with {@code -Darbiter.test.http.port} equal to the port
 * (docs/performance.md).
 */
public final class DecisionPageBench {
  private DecisionPageBench() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 9481;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    OwnServer server =
        OwnServer.over(
            "arbiter-decision-page", port, data, Map.of("arbiter.base-iri", CensusSeed.BASE_IRI));
    long starting = System.nanoTime();
    server.start(Duration.ofMinutes(15));
    System.out.printf(
        Locale.ROOT, "server ready in %.0f s%n", (System.nanoTime() - starting) / 1e9);
    try (Browser browser = new Browser()) {
      JsonObject page =
          OwnServer.json(
              server
                  .send(
                      "GET",
                      "/api/v1/decisions?status=settled&limit=" + (runs + 3),
                      "auditor",
                      null)
                  .body());
      List<String> ids =
          page.getJsonArray("items").stream()
              .map(item -> item.asJsonObject().getString("id"))
              .toList();
      browser.signIn("auditor", "/ui/");
      List<Double> shown = new ArrayList<>();
      List<Double> complete = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        browser.open("/ui/decision.html?id=" + ids.get(i));
        List<?> marks =
            (List<?>)
                browser.until(
                    d ->
                        browser.driver.executeScript(
                            "const s = performance.getEntriesByName('arbiter:decision-shown');"
                                + " const c ="
                                + " performance.getEntriesByName('arbiter:decision-complete');"
                                + " return s.length && c.length ? [s[0].startTime,"
                                + " c[0].startTime] : null;"));
        if (i >= 3) {
          shown.add(((Number) marks.get(0)).doubleValue());
          complete.add(((Number) marks.get(1)).doubleValue());
        }
      }
      Object drawn =
          browser.driver.executeScript(
              "return [document.querySelectorAll('#provenance g.node').length,"
                  + " document.querySelectorAll('#lineage-nodes tbody tr').length,"
                  + " document.getElementById('receipt-verdict').textContent]");
      System.out.printf(
          Locale.ROOT,
          "decision page, %d settled decisions after 3 warm-up: shown p50 %.1f ms, p95 %.1f ms,"
              + " max %.1f ms; complete p50 %.1f ms, p95 %.1f ms, max %.1f ms; last page drew"
              + " (provenance nodes, lineage nodes, receipt) %s%n",
          shown.size(),
          percentile(shown, 0.5),
          percentile(shown, 0.95),
          percentile(shown, 1),
          percentile(complete, 0.5),
          percentile(complete, 0.95),
          percentile(complete, 1),
          drawn);
    } finally {
      server.stop();
    }
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * p) - 1));
  }
}
