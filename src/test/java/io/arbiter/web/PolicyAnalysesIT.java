package io.arbiter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.Browser;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A policy version's analyses on its page, in a real browser against the real server (docs/ui.md):
 * version 1 of a policy of the test's own routes six decisions while version 2, stricter, runs in
 * shadow beside it; the page runs coverage of version 1, and the shadow report and a backtest of
 * version 2, each as a job, and shows what the API computed, drawn and in tables.
 */
@ExtendWith(ArquillianExtension.class)
class PolicyAnalysesIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "analysed-" + TAG;
  private static final String POLICY_ID = MODEL + "-policy";

  private static final String POLICY =
      """
      id: %1$s
      version: %2$s
      scope: {models: [%3$s]}
      inputs:
        amount: number
      rules:
        - id: small-amounts
          condition: input.amount < %4$s
          route: approve
        - id: never-used
          condition: input.amount < 0
          route: reject
      default: {route: review, review: {queue: analysed-%5$s, reviewers: 1, sla: PT24H}}
      """;

  private static Browser browser;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  /** Amounts 500 (three), 100 and 2000 (two): version 1 approves four, version 2 only one. */
  @BeforeAll
  static void aVersionInForceAnotherInShadow_andSixDecisions() {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
    Api.activatePolicy(POLICY.formatted(POLICY_ID, "1", MODEL, "1000", TAG), POLICY_ID, "1");
    Reply posted = Api.postPolicy(POLICY.formatted(POLICY_ID, "2", MODEL, "300", TAG));
    assertEquals(201, posted.status(), posted.toString());
    String v2 = "/api/v1/policies/" + POLICY_ID + "/versions/2/";
    for (String step : List.of("approve", "shadow")) {
      Reply reply = Api.postJson(v2 + step, "policy-approver", "{}");
      assertEquals(200, reply.status(), reply.toString());
    }
    for (double amount : new double[] {500, 500, 500, 100, 2000, 2000}) {
      Reply reply =
          Api.postJson(
              "/api/v1/decisions",
              "integrator",
              """
              {"model": {"name": "%s", "version": "1"}, "subject": "analysed-%s",
               "input": {"amount": %s}, "output": {"label": "approve", "score": 0.7, "confidence": 0.9}}"""
                  .formatted(MODEL, UUID.randomUUID(), amount));
      assertTrue(reply.status() == 201 || reply.status() == 202, reply.toString());
    }
    browser = new Browser();
  }

  @BeforeEach
  void signedOut() {
    browser.forgetSession();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private static String page(String version) {
    return "/ui/policy.html?id=" + POLICY_ID + "&version=" + version;
  }

  /** The row of a figures table by its key, as its cells' texts. */
  private static List<String> row(String table, String key) {
    return browser
        .driver
        .findElements(By.cssSelector("#" + table + " tr[data-key='" + key + "'] td"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }

  private static void finished(String job) {
    browser.shown(By.cssSelector("#" + job + "-job .job-state[data-state='succeeded']"));
    assertTrue(
        browser
                .driver
                .findElement(By.cssSelector("#" + job + "-job .cancel"))
                .getAttribute("hidden")
            != null,
        "no cancel once finished");
  }

  /**
   * A draft whose six rules each cost CEL's whole iteration budget and never match (as JobsIT's
   * slow backtest): a backtest of it runs long enough to be cancelled from the page.
   */
  private static String slowPolicy(String id, String model) {
    String items =
        java.util.stream.IntStream.range(0, 140)
            .mapToObj(Integer::toString)
            .collect(java.util.stream.Collectors.joining(", "));
    String condition = "\"!([%s].all(x, [%s].all(y, x + y >= 0)))\"".formatted(items, items);
    StringBuilder rules = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      rules.append(
          "  - id: costly-%d\n    condition: %s\n    route: approve\n".formatted(i, condition));
    }
    return """
        id: %s
        version: 1
        scope: {models: [%s]}
        inputs:
          amount: number
        rules:
        %sdefault: {route: review, review: {queue: analysed-slow, reviewers: 1, sla: PT24H}}
        """
        .formatted(id, model, rules);
  }

  @Test
  void aRunningBacktest_isCancelledFromThePage() {
    String model = "analysed-slow-" + TAG;
    String policy = model + "-policy";
    Api.registerModelVersion(model, "{\"version\": \"1\"}");
    Reply created = Api.postPolicy(slowPolicy(policy, model));
    assertEquals(201, created.status(), created.toString());
    for (int i = 0; i < 24; i++) {
      Reply reply =
          Api.postJson(
              "/api/v1/decisions",
              "integrator",
              """
              {"model": {"name": "%s", "version": "1"}, "subject": "slow-%s",
               "input": {"amount": %d}, "output": {"label": "approve", "score": 0.7, "confidence": 0.9}}"""
                  .formatted(model, UUID.randomUUID(), i));
      assertTrue(reply.status() == 201 || reply.status() == 202, reply.toString());
    }
    browser.signIn("policy-author", "/ui/policy.html?id=" + policy + "&version=1");
    browser.shown(By.id("run-backtest")).click();
    browser.shown(By.cssSelector("#backtest-job .cancel")).click();
    browser.shown(By.cssSelector("#backtest-job .job-state[data-state='cancelled']"));
    assertTrue(
        browser
            .driver
            .findElement(By.id("backtest-job"))
            .getText()
            .contains("cancelled at your request"),
        browser.driver.findElement(By.id("backtest-job")).getText());
    assertTrue(
        browser.driver.findElements(By.cssSelector("#backtest table")).isEmpty(),
        "no result for a cancelled backtest");
    browser.assertAccessible("policy version, backtest cancelled");
    browser.signOut();
  }

  @Test
  void coverageOfTheVersionInForce() {
    browser.signIn("policy-author", page("1"));
    browser.shown(By.id("run-coverage")).click();
    finished("coverage");
    browser.shown(By.id("coverage-figures"));
    assertEquals(List.of("4", "66.7 %"), row("coverage-figures", "small-amounts"));
    assertEquals(List.of("0", "0.0 %"), row("coverage-figures", "never-used"));
    assertEquals(List.of("2", "33.3 %"), row("coverage-figures", "(default)"));
    assertTrue(browser.driver.findElement(By.id("never-matched")).getText().contains("never-used"));
    assertEquals(3, browser.driver.findElements(By.cssSelector("#coverage svg rect.bar")).size());
    browser.assertAccessible("policy version, coverage");
    browser.driver.executeScript("document.getElementById('coverage-title').scrollIntoView()");
    browser.screenshot("policy-coverage");
    browser.signOut();
  }

  @Test
  void theShadowReportAndABacktestOfTheVersionInShadow() {
    browser.signIn("policy-approver", page("2"));
    browser.shown(By.id("run-shadow")).click();
    finished("shadow");
    assertEquals("50.0 %", browser.shown(By.id("agreement")).getText());
    assertEquals(List.of("3", "50.0 %"), row("shadow-figures", "approve→review"));
    assertEquals(List.of("2", "33.3 %"), row("shadow-figures", "review→review"));
    assertEquals(List.of("1", "16.7 %"), row("shadow-figures", "approve→approve"));
    assertEquals(
        3, browser.driver.findElements(By.cssSelector("#shadow-disagreements tbody tr")).size());
    // Drawn: a bar per route pair, their heights as 3 : 2 : 1.
    List<Double> shadowBars = barHeights("#shadow svg.chart rect.bar.bar-live");
    assertEquals(3, shadowBars.size(), shadowBars.toString());
    assertEquals(3 * shadowBars.get(2), shadowBars.get(0), 0.5, shadowBars.toString());
    assertEquals(2 * shadowBars.get(2), shadowBars.get(1), 0.5, shadowBars.toString());
    browser.assertAccessible("policy version, shadow report");
    browser.driver.executeScript("document.getElementById('shadow-title').scrollIntoView()");
    browser.screenshot("policy-shadow");

    // A window longer than the server allows: its problem names the field at fault.
    browser.driver.executeScript(
        "document.getElementById('backtest-from').value = '2020-01-01T00:00:00'");
    browser.driver.findElement(By.id("run-backtest")).click();
    WebElement problem = browser.shown(By.id("analysis-problem"));
    assertTrue(problem.getText().contains("from"), problem.getText());
    assertEquals(
        "true", browser.driver.findElement(By.id("backtest-from")).getAttribute("aria-invalid"));

    // Without dates, the last 31 days: this model's six decisions.
    browser.driver.executeScript("document.getElementById('backtest-from').value = ''");
    browser.driver.findElement(By.id("run-backtest")).click();
    finished("backtest");
    assertEquals("3", browser.shown(By.id("changed")).getText());
    assertTrue(browser.text().contains("6 recorded decisions"), browser.text());
    assertTrue(
        browser.text().contains("Human review: 33.3 % as recorded, 83.3 % with this version"),
        browser.text());
    assertEquals(List.of("3", "50.0 %"), row("backtest-figures", "approve→review"));
    assertEquals(
        3, browser.driver.findElements(By.cssSelector("#backtest-changes tbody tr")).size());
    // Drawn: human review as recorded (33.3 %) beside this version's (83.3 %), then the changed
    // pair's share (50.0 %).
    List<Double> recorded = barHeights("#backtest svg.chart rect.bar.bar-reference");
    List<Double> candidate = barHeights("#backtest svg.chart rect.bar.bar-live");
    assertEquals(1, recorded.size(), recorded.toString());
    assertEquals(2, candidate.size(), candidate.toString());
    assertEquals(0.4 * candidate.get(0), recorded.get(0), 0.5, recorded + " " + candidate);
    assertEquals(0.6 * candidate.get(0), candidate.get(1), 0.5, candidate.toString());
    browser.assertAccessible("policy version, backtest");
    assertEquals(
        null,
        browser.driver.findElement(By.id("backtest-from")).getAttribute("aria-invalid"),
        "the earlier refusal is cleared");
    browser.driver.executeScript("document.getElementById('backtest-title').scrollIntoView()");
    browser.screenshot("policy-backtest");
    browser.signOut();
  }

  /** The heights of the bars the selector finds, in the order drawn. */
  private static List<Double> barHeights(String selector) {
    return browser.driver.findElements(By.cssSelector(selector)).stream()
        .map(bar -> Double.parseDouble(bar.getAttribute("height")))
        .toList();
  }
}
