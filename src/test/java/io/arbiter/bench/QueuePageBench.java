package io.arbiter.bench;

import io.arbiter.testing.Browser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.openqa.selenium.By;

/**
 * How long the workspace's queue page takes to show its tasks, in headless Chromium: from the start
 * of the navigation to the page's {@code arbiter:queue-shown} mark (the first page of tasks in the
 * table). Run against a server holding the open tasks to measure (docs/performance.md); the port is
 * {@code -Darbiter.test.http.port}. Arguments: user, runs (default reviewer, 30).
 */
public final class QueuePageBench {
  private QueuePageBench() {}

  public static void main(String[] args) {
    String user = args.length > 0 ? args[0] : "reviewer";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    try (Browser browser = new Browser()) {
      browser.signIn(user, "/ui/queue.html?state=open");
      browser.shown(By.cssSelector("#tasks tbody tr"));
      List<Double> times = new ArrayList<>();
      for (int i = 0; i < runs + 5; i++) {
        browser.open("/ui/queue.html?state=open");
        Object shown =
            browser.until(
                d ->
                    browser.driver.executeScript(
                        "const m = performance.getEntriesByName('arbiter:queue-shown');"
                            + " return m.length ? m[0].startTime : null;"));
        if (i >= 5) {
          times.add(((Number) shown).doubleValue());
        }
      }
      String rows =
          String.valueOf(
              browser.driver.executeScript(
                  "return document.querySelectorAll('#tasks tbody tr').length"));
      Collections.sort(times);
      System.out.printf(
          "queue page, %d runs after 5 warm-up, %s rows: p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
          runs,
          rows,
          times.get(times.size() / 2),
          times.get((int) Math.ceil(times.size() * 0.95) - 1),
          times.get(times.size() - 1));
    }
  }
}
