package io.arbiter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.Browser;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * The governance team's pages in a real browser against the real server (docs/ui.md): the policy
 * versions, a version's changes against the one it revises, and its lifecycle steps, offered only
 * to policy approvers and taken through the API; and the HITL dashboard's daily rates.
 */
@ExtendWith(ArquillianExtension.class)
class GovernancePagesIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "governed-" + TAG;
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
      default: {route: review, review: {queue: governed-%5$s, reviewers: 1, sla: PT24H}}
      """;

  private static Browser browser;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @BeforeAll
  static void twoVersionsAndABrowser() {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
    for (String[] version : List.of(new String[] {"1", "1000"}, new String[] {"2", "2500"})) {
      Reply posted =
          Api.postPolicy(POLICY.formatted(POLICY_ID, version[0], MODEL, version[1], TAG));
      assertEquals(201, posted.status(), posted.toString());
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

  private static String versionPage(String version) {
    return "/ui/policy.html?id=" + POLICY_ID + "&version=" + version;
  }

  @Test
  void anAuthorSeesTheVersionsAndTheChanges_butNoLifecycleSteps() {
    browser.signIn("policy-author", "/ui/policies.html");
    browser.shown(By.cssSelector("tr[data-policy='" + POLICY_ID + "'][data-version='2']"));
    browser.assertAccessible("policies");
    browser.screenshot("policies");

    browser
        .driver
        .findElement(By.cssSelector("tr[data-policy='" + POLICY_ID + "'][data-version='2'] a"))
        .click();
    WebElement summary = browser.shown(By.id("diff-summary"));
    browser.until(d -> summary.getText().contains("Against version 1") ? true : null);
    assertTrue(summary.getText().contains("2 lines added, 2 removed"), summary.getText());
    List<String> added =
        browser.driver.findElements(By.cssSelector("#diff ins")).stream()
            .map(WebElement::getText)
            .toList();
    List<String> removed =
        browser.driver.findElements(By.cssSelector("#diff del")).stream()
            .map(WebElement::getText)
            .toList();
    assertEquals(
        List.of("+ version: 2"), added.stream().filter(l -> l.contains("version")).toList());
    assertTrue(added.contains("+     condition: input.amount < 2500"), added.toString());
    assertTrue(removed.contains("-     condition: input.amount < 1000"), removed.toString());
    assertTrue(browser.text().contains("policy-author"), "the author is shown");
    assertTrue(
        browser.driver.findElement(By.id("lifecycle")).getAttribute("hidden") != null,
        "no lifecycle steps for an author");
    browser.assertAccessible("policy version");
    browser.screenshot("policy");
    browser.signOut();
  }

  @Test
  void anApproverApprovesAndShadowsAVersion_fromItsPage() {
    browser.signIn("policy-approver", versionPage("1"));
    browser.shown(By.id("step-approve"));
    assertTrue(
        browser.driver.findElements(By.id("step-activate")).isEmpty(),
        "a draft cannot be activated before approval");
    browser.driver.findElement(By.id("reason")).sendKeys("Reviewed with the risk team");
    browser.driver.findElement(By.id("step-approve")).click();
    browser.until(d -> browser.text().contains("The version is now approved") ? true : null);
    browser.assertAccessible("policy version after approval");

    browser.shown(By.id("step-shadow")).click();
    browser.until(d -> browser.text().contains("The version is now shadow") ? true : null);
    assertTrue(browser.driver.findElements(By.id("step-approve")).isEmpty());
    browser.shown(By.id("step-activate"));
    browser.signOut();

    JsonObject version =
        Api.get("/api/v1/policies/" + POLICY_ID + "/versions/1", "auditor", "application/json")
            .json();
    assertEquals("shadow", version.getString("state"));
    assertEquals("policy-approver", version.getString("approver"));
    assertEquals(
        "Reviewed with the risk team",
        version.getJsonArray("history").getJsonObject(0).getString("reason"));
  }

  /** Types a document into the policies page's form and submits it. */
  private static void submitInThePage(String document) {
    WebElement field = browser.shown(By.id("policy-document"));
    field.clear();
    field.sendKeys(document);
    browser.driver.findElement(By.id("submit-version")).click();
  }

  @Test
  void aVersionAuthoredInThePage_isApprovedShadowedAndActivatedByAnother() {
    String model = "governed-flow-" + TAG;
    String policyId = model + "-policy";
    Api.registerModelVersion(model, "{\"version\": \"1\"}");
    Api.activatePolicy(POLICY.formatted(policyId, "1", model, "1000", TAG), policyId, "1");

    // The author writes version 2 in the page: first with a condition on an undeclared input,
    // refused with the server's problem, then as meant.
    browser.signIn("policy-author", "/ui/policies.html");
    browser.shown(By.id("new-version-title"));
    submitInThePage(
        POLICY.formatted(policyId, "2", model, "2500", TAG).replace("input.amount", "input.amont"));
    WebElement refused = browser.shown(By.id("new-version-problem"));
    browser.until(d -> refused.getText().contains("The policy document is invalid") ? true : null);
    assertTrue(
        !browser
            .driver
            .findElements(By.cssSelector("#new-version-problem .problem-fields li"))
            .isEmpty(),
        "the field at fault is named: " + refused.getText());
    assertEquals(
        "true", browser.driver.findElement(By.id("policy-document")).getAttribute("aria-invalid"));
    browser.assertAccessible("policies (a new version refused)");
    browser.screenshot("policy-new-version-refused");

    submitInThePage(POLICY.formatted(policyId, "2", model, "2500", TAG));
    WebElement created = browser.shown(By.id("created-link"));
    assertEquals(policyId + ", version 2", created.getText());
    assertTrue(browser.shown(By.id("created")).getText().endsWith("(draft)."));
    assertTrue(
        browser.driver.findElement(By.id("new-version-problem")).getAttribute("hidden") != null);
    browser.shown(By.cssSelector("tr[data-policy='" + policyId + "'][data-version='2']"));
    browser.assertAccessible("policies (a new version submitted)");
    browser.screenshot("policy-new-version");
    created.click();
    browser.until(d -> browser.text().contains(policyId + ", version 2") ? true : null);
    browser.signOut();

    // Another person approves it, runs it in shadow and activates it, each from its page.
    browser.signIn("policy-approver", "/ui/policy.html?id=" + policyId + "&version=2");
    browser.driver.findElement(By.id("reason")).sendKeys("Stricter limit agreed");
    browser.shown(By.id("step-approve")).click();
    browser.until(d -> browser.text().contains("The version is now approved") ? true : null);
    browser.shown(By.id("step-shadow")).click();
    browser.until(d -> browser.text().contains("The version is now shadow") ? true : null);
    browser.shown(By.id("reason")).sendKeys("Shadow agreed with the risk team");
    browser.shown(By.id("step-activate")).click();
    browser.until(d -> browser.text().contains("The version is now active") ? true : null);
    assertEquals("active", browser.driver.findElement(By.cssSelector("#facts .state")).getText());
    assertTrue(browser.driver.findElements(By.id("step-activate")).isEmpty());
    browser.shown(By.id("step-retire"));
    browser.signOut();

    JsonObject active =
        Api.get("/api/v1/policies/" + policyId + "/versions/2", "auditor", "application/json")
            .json();
    assertEquals("active", active.getString("state"));
    assertEquals("policy-author", active.getString("author"));
    assertEquals("policy-approver", active.getString("approver"));
    assertEquals(
        List.of("approve", "shadow", "activate"),
        active.getJsonArray("history").stream()
            .map(h -> h.asJsonObject().getString("transition"))
            .toList());
    // The version it replaced no longer routes: back to approved, ready to be activated again.
    JsonObject previous =
        Api.get("/api/v1/policies/" + policyId + "/versions/1", "auditor", "application/json")
            .json();
    assertEquals("approved", previous.getString("state"));
  }

  @Test
  void theAuthorOfAVersion_isNotOfferedItsApproval_andTheServerRefusesIt() {
    String policyId = MODEL + "-governor";
    browser.signIn("governor", "/ui/policies.html");
    // This time the document is JSON, read from a file into the form.
    Path file = Browser.OUT.resolve("governor-policy.json");
    try {
      Files.createDirectories(Browser.OUT);
      Files.writeString(
          file,
          """
          {"id": "%s", "version": "1", "scope": {"models": ["%s"]},
           "inputs": {"amount": "number"},
           "rules": [{"id": "small-amounts", "condition": "input.amount < 500", "route": "approve"}],
           "default": {"route": "review", "review": {"queue": "governed-%s", "reviewers": 1, "sla": "PT24H"}}}
          """
              .formatted(policyId, MODEL, TAG));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    browser.shown(By.id("policy-file")).sendKeys(file.toAbsolutePath().toString());
    browser.until(
        d ->
            d.findElement(By.id("policy-document")).getAttribute("value").contains(policyId)
                ? true
                : null);
    browser.driver.findElement(By.id("submit-version")).click();
    browser.shown(By.id("created-link")).click();
    browser.until(d -> browser.text().contains(policyId + ", version 1") ? true : null);
    browser.shown(By.id("lifecycle"));
    WebElement note = browser.shown(By.id("no-actions"));
    assertEquals("You wrote this version: another approver must approve it.", note.getText());
    assertTrue(browser.driver.findElements(By.id("step-approve")).isEmpty(), "no approval");
    browser.assertAccessible("policy version (its author holds both policy roles)");
    browser.signOut();

    Reply approved =
        Api.postJson("/api/v1/policies/" + policyId + "/versions/1/approve", "governor", "{}");
    assertEquals(403, approved.status(), approved.toString());
    assertTrue(
        approved.json().getString("type").endsWith("/separation-of-duties"), approved.toString());
    JsonObject version =
        Api.get("/api/v1/policies/" + policyId + "/versions/1", "auditor", "application/json")
            .json();
    assertEquals("draft", version.getString("state"));
    assertEquals("governor", version.getString("author"));
  }

  @Test
  void theDashboard_showsTodaysRatesOfOneModel() {
    // No version governs the model yet: each of its decisions goes to review, failing safe.
    List<String> decisions = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Reply submitted =
          Api.postJson(
              "/api/v1/decisions",
              "integrator",
              """
              {"model": {"name": "%s", "version": "1"}, "subject": "governed-%s",
               "input": {"amount": 10}, "output": {"label": "approve", "score": 0.7, "confidence": 0.9}}"""
                  .formatted(MODEL, UUID.randomUUID()));
      assertEquals(202, submitted.status(), submitted.toString());
      decisions.add(submitted.json().getString("id"));
    }
    // One is settled against the model's approve: today's override rate is one in one.
    Reply verdict =
        Api.verdictAsReviewer(
            Api.openTaskOf(decisions.get(0), null),
            "reject",
            "insufficient-evidence",
            "Nothing governs this model: no approval without a policy.");
    assertEquals(200, verdict.status(), verdict.toString());
    browser.signIn("auditor", "/ui/dashboard.html?days=7&model=" + MODEL);
    WebElement status = browser.shown(By.id("status"));
    browser.until(d -> status.getText().startsWith("2 decisions over 7 days") ? true : null);
    for (String series : List.of("escalation", "fail-safe")) {
      List<WebElement> cells =
          browser.driver.findElements(By.cssSelector("#series-" + series + " tbody td"));
      assertEquals(7, cells.size(), series);
      assertEquals("1", cells.get(6).getAttribute("data-value"), series + " today");
      assertEquals("", cells.get(0).getAttribute("data-value"), series + ": no decisions then");
    }
    Map<String, String> today =
        Map.of("override", "1", "sla", "0"); // the settled one overrode; neither missed its SLA
    today.forEach(
        (series, value) -> {
          List<WebElement> cells =
              browser.driver.findElements(By.cssSelector("#series-" + series + " tbody td"));
          assertEquals(7, cells.size(), series);
          assertEquals(value, cells.get(6).getAttribute("data-value"), series + " today");
          assertEquals("", cells.get(0).getAttribute("data-value"), series + ": nothing then");
        });
    assertTrue(
        browser.driver.findElement(By.id("series-agreement")).getText().contains("nothing to"),
        "no task had two reviewers");
    assertTrue(browser.driver.findElements(By.cssSelector("#series-agreement svg")).size() == 1);
    browser.assertAccessible("dashboard");
    browser.screenshot("dashboard");
    browser.signOut();

    // A policy author has the decision figures, not the reviewers'.
    browser.signIn("policy-author", "/ui/dashboard.html?days=7&model=" + MODEL);
    WebElement authorsStatus = browser.shown(By.id("status"));
    browser.until(
        d ->
            authorsStatus.getText().contains("Review figures (SLA, agreement) are for")
                ? true
                : null);
    assertTrue(browser.driver.findElements(By.id("series-sla")).isEmpty());
    browser.signOut();
  }

  @Test
  void aReviewerIsToldThePoliciesAreNotForThem() {
    browser.signIn("reviewer", "/ui/policies.html");
    browser.until(d -> browser.text().contains("Not for your roles") ? true : null);
    browser.signOut();
  }
}
