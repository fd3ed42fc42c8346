package io.arbiter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.Browser;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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
 * The drift page in a real browser against the real server (docs/ui.md): a model version of the
 * test's own gets a reference profile by four eyes through the page (its author is not offered the
 * approval, another approver is), then live decisions fill its windows (40 values, assessed every
 * 0.2 s in the test server) and the page draws them against the reference with the server's
 * statistics and its alarm.
 */
@ExtendWith(ArquillianExtension.class)
class DriftPageIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "drifting-" + TAG;
  private static final String API = "/api/v1/models/" + MODEL + "/versions/1";
  private static final String PAGE = "/ui/drift.html?model=" + MODEL + "&version=1";

  /** Amounts even over four bins of 250; regions EU and US only. */
  private static final String REFERENCE =
      """
      {"inputs": {"amount": {"type": "histogram", "edges": [0, 250, 500, 750, 1000],
                             "counts": [25, 25, 25, 25]},
                  "region": {"type": "categorical", "counts": {"US": 40, "EU": 60}}}}""";

  private static Browser browser;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @BeforeAll
  static void aModelAndABrowser() {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
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

  private static Reply upload(String user, String json) {
    return Api.send(
        Api.request(API + "/reference", user)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private static void decide(double amount, String region) {
    Reply reply =
        Api.postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "drifting-%s",
             "input": {"amount": %s, "region": "%s"},
             "output": {"label": "approve", "score": 0.7, "confidence": 0.9}}"""
                .formatted(MODEL, UUID.randomUUID(), amount, region));
    assertTrue(reply.status() == 201 || reply.status() == 202, reply.toString());
  }

  /** The cells of one series in an input's table, top bucket first. */
  private static List<String> cells(String panel, String series) {
    return browser
        .driver
        .findElements(By.cssSelector("#" + panel + " td[data-series='" + series + "']"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }

  @Test
  void fourEyesThroughThePage_thenTheLiveWindowAgainstTheReference() {
    Reply uploaded = upload("policy-author", REFERENCE);
    assertEquals(202, uploaded.status(), uploaded.toString());
    String iri = uploaded.json().getString("iri");

    // Its author sees it pending, unmonitored so far, and is not offered the approval.
    browser.signIn("policy-author", PAGE);
    browser.shown(By.id("pending-author"));
    assertEquals("policy-author", browser.driver.findElement(By.id("pending-author")).getText());
    browser.shown(By.id("own-upload"));
    assertTrue(browser.driver.findElements(By.id("approve")).isEmpty(), "not for its author");
    assertTrue(browser.text().contains("it is not monitored"), browser.text());
    assertEquals(
        List.of("25.0 %", "25.0 %", "25.0 %", "25.0 %"),
        cells("pending-amount", "pending"),
        "the pending shares, nothing in force to compare with");
    browser.assertAccessible("drift, a profile pending, seen by its author");
    browser.signOut();

    // Another approver approves it from the page.
    browser.signIn("policy-approver", PAGE);
    browser.shown(By.id("approve")).click();
    browser.until(
        d ->
            browser.text().contains("Approved: the profile uploaded by policy-author")
                ? true
                : null);
    assertEquals("none", browser.shown(By.id("alarm")).getAttribute("data-alarm"));
    assertEquals(iri, browser.driver.findElement(By.id("reference-iri")).getText());
    assertEquals(
        iri, Api.get(API + "/reference", "auditor", "application/json").json().getString("iri"));
    browser.assertAccessible("drift, just approved");

    // Live amounts all in the top bin, a quarter of them from a region the reference never saw.
    for (int i = 0; i < 40; i++) {
      decide(760 + i * 5, i % 4 == 0 ? "APAC" : "EU");
    }
    // Once the server has assessed the full windows, later assessments give the same figures.
    Instant decided = Instant.now();
    JsonObject status =
        browser.until(
            d -> {
              JsonObject now = Api.get(API + "/drift", "auditor", "application/json").json();
              return now.containsKey("assessedAt")
                      && Instant.parse(now.getString("assessedAt")).isAfter(decided)
                  ? now
                  : null;
            });
    browser.driver.navigate().refresh();
    browser.shown(By.cssSelector("#input-amount td[data-series='count']"));
    assertTrue(status.getBoolean("alarm"), status.toString());
    assertEquals("raised", browser.shown(By.id("alarm")).getAttribute("data-alarm"));
    assertEquals(List.of("0", "0", "0", "40"), cells("input-amount", "count"));
    assertEquals(
        List.of("25.0 %", "25.0 %", "25.0 %", "25.0 %"), cells("input-amount", "reference"));
    assertEquals(List.of("0.0 %", "0.0 %", "0.0 %", "100.0 %"), cells("input-amount", "live"));
    // Categories sorted as the server keeps them, then the bucket of unseen ones.
    assertEquals(List.of("30", "0", "10"), cells("input-region", "count"));
    assertEquals(List.of("60.0 %", "40.0 %", "0.0 %"), cells("input-region", "reference"));
    assertTrue(
        browser
            .driver
            .findElement(By.cssSelector("#input-region tbody tr:last-child th"))
            .getText()
            .startsWith("other"));
    for (JsonObject input : status.getJsonArray("inputs").getValuesAs(JsonObject.class)) {
      if (!input.containsKey("psi")) {
        continue;
      }
      String shown =
          browser
              .driver
              .findElement(
                  By.cssSelector("#input-" + input.getString("name") + " [data-statistic='psi']"))
              .getText();
      // The window may have been assessed again since the page read it, with the same values.
      assertEquals(
          String.format(Locale.ROOT, "%.3f", input.getJsonNumber("psi").doubleValue()), shown);
    }
    assertEquals(
        4,
        browser.driver.findElements(By.cssSelector("#input-amount svg rect.bar-live")).size(),
        "a live bar per bin");
    browser.assertAccessible("drift, alarm raised");
    browser.driver.executeScript("document.getElementById('state-title').scrollIntoView()");
    browser.screenshot("drift");
    browser.signOut();

    // A person holding both policy roles uploads a new one: not offered its approval either.
    Reply second =
        upload("governor", REFERENCE.replace("\"US\": 40, \"EU\": 60", "\"US\": 30, \"EU\": 70"));
    assertEquals(202, second.status(), second.toString());
    browser.signIn("governor", PAGE);
    browser.shown(By.id("own-upload"));
    assertTrue(browser.driver.findElements(By.id("approve")).isEmpty());
    assertEquals(List.of("60.0 %", "40.0 %", "0.0 %"), cells("pending-region", "reference"));
    assertEquals(List.of("70.0 %", "30.0 %", "0.0 %"), cells("pending-region", "pending"));
    browser.driver.executeScript("document.getElementById('pending-title').scrollIntoView()");
    browser.screenshot("drift-pending");
    browser.signOut();

    // Every monitored version is listed, its alarm with it.
    browser.signIn("auditor", "/ui/drift.html");
    WebElement row =
        browser.shown(By.cssSelector("tr[data-model='" + MODEL + "'][data-version='1']"));
    assertTrue(row.getText().contains("raised"), row.getText());
    assertTrue(browser.driver.findElements(By.id("approve")).isEmpty());
    browser.assertAccessible("drift, every monitored version");
    browser.screenshot("drift-list");
    browser.signOut();
  }

  @Test
  void aReviewerIsToldTheDriftPageIsNotForThem() {
    browser.signIn("reviewer", "/ui/drift.html");
    browser.until(d -> browser.text().contains("Not for your roles") ? true : null);
  }
}
