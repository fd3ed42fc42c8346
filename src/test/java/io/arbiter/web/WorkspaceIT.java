package io.arbiter.web;

import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.Browser;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The workspace in a real browser (headless Chromium through WebDriver) against the managed
 * Liberty: the README's "blind two-reviewer disagreement adjudicated by a lead", walked through the
 * pages by three people signed in with the form, under a policy that is not a credit one (verdicts
 * benign/malignant, reason codes with labels); everything each page holds and fetched scanned for
 * the model's output; the other reviewer's verdict hidden until a lead rules; the server's 422
 * shown with the field at fault; axe-core on every page. The model, policy and queue are this
 * test's own (a new name each run), so other tests' tasks never show up here.
 */
@ExtendWith(ArquillianExtension.class)
@Timeout(300)
class WorkspaceIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "workspace-" + TAG;
  private static final String QUEUE = "desk-" + TAG;
  private static final String LABEL = "flagged";
  private static final String SCORE = "0.53719284";
  private static final String CONFIDENCE = "0.92846137";

  /**
   * Nothing a blind reviewer's page, its requests or its source may hold (lower case). Not the
   * words or digits of BlindReviewIT, whose scan of every listing would find this test's tasks.
   */
  private static final List<String> TELLS =
      List.of(LABEL, "53719284", "92846137", "flagged-two-blind", "confident-cleared", "cleared");

  private static final String POLICY =
      """
      id: %1$s-policy
      version: 1
      scope: {models: [%1$s]}
      inputs:
        size: number
        shape: string
      vocabulary:
        outcomes: [benign, malignant]
        labels: {flagged: malignant, cleared: benign}
        positive: malignant
      onReviewTimeout: malignant
      reasonCodes:
        - code: looks-fine
          label: Looks fine
          definition: Regular margins and texture; no further work-up.
        - {code: needs-biopsy, label: Needs a biopsy}
      rules:
        - id: flagged-two-blind
          condition: output.label == 'flagged'
          route: review
          review: {queue: %2$s, reviewers: 2, sla: PT24H, blind: true}
        - id: confident-cleared
          condition: output.label == 'cleared' && output.confidence > 0.8
          route: benign
      default: {route: review, review: {queue: %2$s-other, reviewers: 2, sla: PT24H}}
      """
          .formatted(MODEL, QUEUE);

  private static Browser browser;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @BeforeAll
  static void modelPolicyAndBrowser() {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
    Api.activatePolicy(POLICY, MODEL + "-policy", "1");
    browser = new Browser();
  }

  /** Each test starts signed out, whatever the one before it left behind. */
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

  private static String submitBlindCase() {
    return submit(LABEL, CONFIDENCE);
  }

  /** A case for the default route's queue, not this test's blind one. */
  private static String submitOtherCase() {
    return submit("cleared", "0.5");
  }

  private static String submit(String label, String confidence) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "ws-%s",
             "input": {"size": 3.5, "shape": "irregular"}, "context": {"site": "south"},
             "output": {"label": "%s", "score": %s, "confidence": %s}}"""
                .formatted(MODEL, UUID.randomUUID(), label, SCORE, confidence));
    assertEquals(202, reply.status(), reply.toString());
    return reply.json().getString("id");
  }

  @Test
  void blindTwoReviewerDisagreement_adjudicatedByLead_throughTheWorkspace() {
    String id = submitBlindCase();

    // Reviewer 1: the queue, "claim next" by keyboard, a verdict refused then given.
    browser.signIn("reviewer", "/ui/queue.html?queue=" + QUEUE);
    WebElement row = browser.shown(By.cssSelector("tr[data-task='" + id + "']"));
    assertTrue(row.getText().contains("left"), "time left on the SLA: " + row.getText());
    assertTrue(row.getText().contains("0 of 2"), row.getText());
    assertBlind("the queue page");
    browser.assertAccessible("queue");
    browser.screenshot("queue");
    browser.driver.findElement(By.tagName("body")).sendKeys("n");
    browser.shown(By.id("verdict-form"));
    assertTrue(browser.text().contains("Review task " + id), browser.text());
    assertTrue(browser.text().contains("withheld from you"), browser.text());
    assertBlind("the claimed task page");
    browser.assertAccessible("task");
    browser.screenshot("task");

    // Nothing chosen: the server's 422 names the fields; then no justification, which blind
    // review always requires.
    browser.driver.findElement(By.id("submit-verdict")).click();
    WebElement problem = browser.shown(By.id("verdict-problem"));
    assertTrue(problem.getText().contains("The request has invalid fields"), problem.getText());
    assertTrue(problem.getText().contains("verdict"), problem.getText());
    // The verdicts are the policy's outcomes, nothing else; the reason codes show their labels.
    assertEquals(
        List.of("benign", "malignant"),
        browser.driver.findElements(By.cssSelector("input[name=verdict]")).stream()
            .map(radio -> radio.getAttribute("value"))
            .toList());
    assertEquals(
        List.of("Choose a reason code", "Looks fine", "Needs a biopsy"),
        new Select(browser.driver.findElement(By.id("reasonCode")))
            .getOptions().stream().map(WebElement::getText).toList());
    browser.driver.findElement(By.tagName("body")).sendKeys("1");
    assertTrue(
        browser
            .driver
            .findElement(By.cssSelector("input[name=verdict][value=benign]"))
            .isSelected());
    new Select(browser.driver.findElement(By.id("reasonCode"))).selectByVisibleText("Looks fine");
    assertEquals(
        "Regular margins and texture; no further work-up.",
        browser.driver.findElement(By.id("reason-hint")).getText(),
        "the chosen code's definition is its help text");
    browser.driver.findElement(By.cssSelector("input[name=rules][value='rule-1']")).click();
    browser.driver.findElement(By.id("submit-verdict")).click();
    WebElement justification = browser.driver.findElement(By.id("justification"));
    browser.until(d -> "true".equals(justification.getAttribute("aria-invalid")));
    assertTrue(browser.text().contains("justification: required for this task"), browser.text());
    browser.assertAccessible("task with a refused verdict");
    browser.screenshot("task-refused");
    justification.sendKeys("Regular margins, nothing alarming.");
    justification.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
    browser.until(d -> browser.text().contains("Verdict recorded."));
    assertTrue(browser.text().contains("Regular margins"), "their own verdict is shown");
    // The code was sent (the server takes no label), and is shown with its label.
    assertTrue(browser.text().contains("Looks fine (looks-fine)"), browser.text());
    assertBlind("the task page after the verdict");
    browser.signOut();

    // Reviewer 2 disagrees, without seeing reviewer 1's verdict.
    browser.signIn("reviewer2", "/ui/task.html?id=" + id);
    browser.shown(By.id("claim"));
    assertFalse(browser.text().contains("Regular margins"), "four eyes: the other verdict hidden");
    assertTrue(browser.text().contains("hidden until every verdict is in"), browser.text());
    browser.driver.findElement(By.tagName("body")).sendKeys("c");
    browser.shown(By.id("verdict-form"));
    browser.driver.findElement(By.tagName("body")).sendKeys("2");
    new Select(browser.driver.findElement(By.id("reasonCode"))).selectByValue("needs-biopsy");
    browser.driver.findElement(By.id("justification")).sendKeys("Irregular shape: biopsy first.");
    browser.driver.findElement(By.id("submit-verdict")).click();
    browser.until(d -> browser.text().contains("Verdict recorded."));
    assertFalse(browser.text().contains("Regular margins"), "still hidden from a reviewer");
    assertBlind("the second reviewer's task page");
    browser.signOut();

    // The lead finds the disagreement, sees both verdicts (still blind) and rules.
    browser.signIn("lead-reviewer", "/ui/queue.html?queue=" + QUEUE + "&state=adjudication");
    browser.shown(By.cssSelector("tr[data-task='" + id + "'] a")).click();
    browser.shown(By.id("verdict-form"));
    String page = browser.text();
    assertTrue(page.contains("Your ruling on the disagreement"), page);
    assertTrue(page.contains("Regular margins") && page.contains("Irregular shape"), page);
    assertBlind("the adjudication view");
    browser.assertAccessible("adjudication");
    browser.driver.executeScript("document.querySelector('article.verdict').scrollIntoView()");
    browser.screenshot("adjudication");
    browser.driver.findElement(By.tagName("body")).sendKeys("2");
    new Select(browser.driver.findElement(By.id("reasonCode"))).selectByValue("needs-biopsy");
    browser.driver.findElement(By.id("justification")).sendKeys("Shape decides: biopsy.");
    browser.driver.findElement(By.id("submit-verdict")).click();
    browser.until(d -> browser.text().contains("Ruling recorded."));
    assertTrue(browser.text().contains("adjudication"), browser.text());
    browser.signOut();

    Reply decision = Api.get("/api/v1/decisions/" + id, "integrator", "application/json");
    assertEquals("settled", decision.json().getString("status"), decision.toString());
    assertEquals(
        "malignant",
        decision.json().getJsonObject("resolution").getString("outcome"),
        decision.toString());
  }

  @Test
  void queuePage_showsATaskOpenedAfterItLoaded_withoutAReload() {
    browser.signIn("reviewer", "/ui/queue.html?queue=" + QUEUE);
    browser.until(
        d -> "on".equals(d.findElement(By.id("live")).getAttribute("data-live")) ? true : null);
    browser.driver.executeScript("window.arbiterNotReloaded = true");

    String id = submitBlindCase();
    browser.shown(By.cssSelector("tr[data-task='" + id + "']"));
    assertEquals(
        Boolean.TRUE,
        browser.driver.executeScript("return window.arbiterNotReloaded === true"),
        "the page itself was not reloaded");
    assertBlind("the queue page after a live update");
    browser.signOut();
  }

  @Test
  void taskPage_showsAnotherReviewersVerdict_withoutAReload_keepingTheFormAndBlindness() {
    String id = submitBlindCase();
    browser.signIn("reviewer", "/ui/task.html?id=" + id);
    browser.until(
        d -> "on".equals(d.findElement(By.id("live")).getAttribute("data-live")) ? true : null);
    browser.shown(By.id("claim")).click();
    WebElement justification = browser.shown(By.id("justification"));
    justification.sendKeys("Half written");
    browser.driver.executeScript("window.arbiterNotReloaded = true");
    assertTrue(browser.text().contains("0 of 2 given"), browser.text());

    // Another reviewer claims and decides through the API, the way their own page would.
    assertEquals(200, postJson("/api/v1/reviews/" + id + "/claim", "reviewer2", "").status());
    Reply verdict =
        postJson(
            "/api/v1/reviews/" + id + "/verdict",
            "reviewer2",
            """
            {"verdict": "malignant", "reasonCode": "needs-biopsy", "justification": "Seen elsewhere."}""");
    assertEquals(200, verdict.status(), verdict.toString());

    browser.until(d -> browser.text().contains("1 of 2 given") ? true : null);
    assertTrue(browser.text().contains("This task changed"), browser.text());
    assertEquals(
        Boolean.TRUE,
        browser.driver.executeScript("return window.arbiterNotReloaded === true"),
        "the page itself was not reloaded");
    assertEquals(
        "Half written",
        browser.driver.findElement(By.id("justification")).getAttribute("value"),
        "the half-written verdict is kept");
    assertFalse(browser.text().contains("Seen elsewhere"), "four eyes: the other verdict hidden");
    assertBlind("the task page after a live update");
    browser.assertAccessible("task, updated live");
    browser.signOut();
  }

  @Test
  void taskPage_releaseByButtonAndByKey_givesTheClaimUp_andTheTaskIsOpenAgain() {
    // The other queue's: an open task left in the blind queue would be the next one claimed.
    String id = submitOtherCase();
    browser.signIn("reviewer", "/ui/task.html?id=" + id);

    // The page's own claim comes back on the task-change stream and rewrites the status line, so
    // wait on the buttons rather than the status.
    browser.shown(By.id("claim")).click();
    browser.shown(By.id("release")).click();
    browser.until(d -> d.findElements(By.id("release")).isEmpty() ? true : null);
    browser.shown(By.id("claim"));
    assertOpenAndUnclaimed(id);

    browser.shown(By.id("claim")).click();
    assertEquals(
        "u", browser.shown(By.id("release")).getAttribute("aria-keyshortcuts"), "its key said");
    browser.driver.findElement(By.tagName("body")).sendKeys("u");
    browser.until(d -> d.findElements(By.id("release")).isEmpty() ? true : null);
    browser.shown(By.id("claim"));
    assertOpenAndUnclaimed(id);
    browser.signOut();
  }

  /**
   * Outside blind review a justification is asked for only when the verdict goes against the model:
   * the other queue's case, whose "cleared" maps to benign, judged malignant.
   */
  @Test
  void taskPage_overridingTheModelOnANonBlindTask_needsAJustification() {
    String id = submitOtherCase();
    browser.signIn("reviewer", "/ui/task.html?id=" + id);
    browser.shown(By.id("claim")).click();
    browser.shown(By.id("verdict-form"));
    browser.driver.findElement(By.cssSelector("input[name=verdict][value=malignant]")).click();
    new Select(browser.driver.findElement(By.id("reasonCode"))).selectByValue("needs-biopsy");
    browser.driver.findElement(By.id("submit-verdict")).click();
    WebElement problem = browser.shown(By.id("verdict-problem"));
    assertTrue(
        problem
            .getText()
            .contains("justification: required when the verdict goes against the model's"),
        problem.getText());
    WebElement justification = browser.driver.findElement(By.id("justification"));
    assertEquals("true", justification.getAttribute("aria-invalid"));

    justification.sendKeys("Irregular shape whatever the model says.");
    browser.driver.findElement(By.id("submit-verdict")).click();
    browser.until(d -> browser.text().contains("Verdict recorded.") ? true : null);
    assertTrue(browser.text().contains("Irregular shape whatever"), "their own verdict is shown");
    assertFalse(problem.isDisplayed(), "the refusal is cleared");
    browser.signOut();
  }

  @Test
  void signInPage_andRoles_showEachPersonTheirOwnPages() {
    browser.open("/ui/");
    browser.shown(By.id("username")).sendKeys("reviewer");
    browser.driver.findElement(By.id("password")).sendKeys("not-the-password");
    browser.driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    WebElement problem = browser.shown(By.id("sign-in-problem"));
    assertTrue(problem.getText().contains("Authentication is required"), problem.getText());
    assertTrue(problem.getText().contains("password"), problem.getText());
    // No single sign-on on this server: the page offers the password form alone.
    assertEquals(
        404, Api.send(Api.plainRequest("/auth/sso/provider", null).GET().build()).status());
    assertFalse(browser.driver.findElement(By.id("sso")).isDisplayed(), "no provider link");
    browser.assertAccessible("sign-in with a refusal");
    browser.screenshot("sign-in");

    browser.signIn("reviewer", "/ui/");
    assertTrue(browser.text().contains("Review queue"), browser.text());
    browser.assertAccessible("home");
    browser.screenshot("home");
    browser.signOut();

    // An auditor's workspace has no reviewer pages (and the API refuses them their verdicts).
    browser.signIn("auditor", "/ui/");
    assertFalse(browser.text().contains("Review queue"), browser.text());
    browser.open("/ui/queue.html");
    browser.until(d -> browser.text().contains("Not for your roles"));
    browser.assertAccessible("not for your roles (an auditor on the queue)");
    browser.signOut();
  }

  /**
   * The queue's SLA filter and its paging, on a queue of the test's own with more tasks than a page
   * holds (50): "Show more" brings the rest with the API's cursor; every task is within its SLA, so
   * "overdue" shows none of them and "within its deadline" all. (No task stays overdue on the real
   * server: the sweep times it out within a second of its deadline.)
   */
  @Test
  void queuePage_filtersBySla_andShowsMoreTasksPageByPage() {
    String model = "workspace-paged-" + TAG;
    String queue = "paged-" + TAG;
    Api.registerModelVersion(model, "{\"version\": \"1\"}");
    Api.activatePolicy(
        """
        id: %1$s-policy
        version: 1
        scope: {models: [%1$s]}
        inputs:
          size: number
        reasonCodes: [checked]
        rules:
          - id: every-case
            condition: input.size >= 0
            route: review
            review: {queue: %2$s, reviewers: 1, sla: PT24H}
        """
            .formatted(model, queue),
        model + "-policy",
        "1");
    Set<String> seeded = new HashSet<>();
    for (int i = 0; i < 57; i++) {
      Reply reply =
          postJson(
              "/api/v1/decisions",
              "integrator",
              """
              {"model": {"name": "%s", "version": "1"}, "subject": "paged-%s-%d",
               "input": {"size": %d}, "output": {"label": "approve", "score": 0.5,
               "confidence": 0.5}}"""
                  .formatted(model, TAG, i, i));
      assertEquals(202, reply.status(), reply.toString());
      seeded.add(reply.json().getString("id"));
    }

    browser.signIn("reviewer", "/ui/queue.html?queue=" + queue);
    browser.until(d -> taskRows().size() == 50 ? true : null);
    assertEquals("50 tasks (more below)", browser.shown(By.id("status")).getText());
    browser.shown(By.id("more")).click();
    browser.until(d -> taskRows().size() == 57 ? true : null);
    assertEquals("57 tasks", browser.shown(By.id("status")).getText());
    assertFalse(browser.driver.findElement(By.id("more")).isDisplayed(), "no third page");
    assertEquals(seeded, Set.copyOf(taskRows()));
    browser.assertAccessible("queue, a second page shown");

    Select sla = new Select(browser.driver.findElement(By.id("overdue")));
    sla.selectByVisibleText("overdue");
    browser.driver.findElement(By.cssSelector("#filters button[type=submit]")).click();
    browser.until(d -> taskRows().isEmpty() ? true : null);
    assertEquals("No tasks match.", browser.shown(By.id("status")).getText());
    assertTrue(browser.driver.getCurrentUrl().contains("overdue=true"), "kept in the address");

    sla.selectByVisibleText("within its deadline");
    browser.driver.findElement(By.cssSelector("#filters button[type=submit]")).click();
    browser.until(d -> taskRows().size() == 50 ? true : null);
    assertTrue(seeded.containsAll(taskRows()), taskRows()::toString);
    for (WebElement left :
        browser.driver.findElements(By.cssSelector("#tasks tbody td.time-left"))) {
      assertTrue(left.getText().contains("left"), left.getText());
    }
    browser.shown(By.id("more")).click();
    browser.until(d -> taskRows().size() == 57 ? true : null);
    assertEquals(seeded, Set.copyOf(taskRows()));
    browser.signOut();
  }

  private static List<String> taskRows() {
    return browser.driver.findElements(By.cssSelector("#tasks tbody tr")).stream()
        .map(r -> r.getAttribute("data-task"))
        .toList();
  }

  private static Reply formSignIn(String user, String password) {
    return Api.send(
        Api.plainRequest("/auth/login", null)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Requested-With", "arbiter-workspace")
            .header("Origin", Api.BASE)
            .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + password))
            .build());
  }

  @Test
  void signIn_repeatedWrongPasswords_are429UntilTheDelayPasses_thenTheRightOneWorks()
      throws InterruptedException {
    // lead-reviewer2 signs in nowhere else in this class. Five failures are free (the default of
    // arbiter.security.sign-in-failures); each one after shuts sign-in for 1 s, 2 s, 4 s, ...
    List<Integer> statuses = new java.util.ArrayList<>();
    Reply throttled = null;
    for (int attempt = 0; attempt < 40 && throttled == null; attempt++) {
      Reply wrong = formSignIn("lead-reviewer2", "not-the-password");
      statuses.add(wrong.status());
      if (wrong.status() == 429 && Long.parseLong(wrong.header("Retry-After")) >= 3) {
        throttled = wrong; // a delay long enough for the checks below to fall inside it
      } else if (wrong.status() == 429) {
        Thread.sleep(300); // within a short delay: let it pass, so the next failure counts
      }
    }
    assertEquals(List.of(401, 401, 401, 401, 401), statuses.subList(0, 5), statuses.toString());
    assertTrue(throttled != null, "never throttled: " + statuses);
    assertTrue(
        throttled.contentType().startsWith("application/problem+json"), throttled.toString());
    assertTrue(throttled.body().contains("/sign-in-throttled"), throttled.toString());
    // Meanwhile the password is not even checked: the right one is refused too, and so is Basic.
    Reply right = formSignIn("lead-reviewer2", Api.PASSWORD);
    assertEquals(429, right.status(), right.toString());
    Reply basic = Api.send(Api.plainRequest("/api/v1/reviews", "lead-reviewer2").GET().build());
    assertEquals(429, basic.status(), basic.toString());
    assertTrue(basic.body().contains("/sign-in-throttled"), basic.toString());
    assertTrue(Long.parseLong(basic.header("Retry-After")) >= 1, basic.toString());
    // Another user at the same address is not held up by this name's failures.
    assertEquals(200, formSignIn("lead-reviewer", Api.PASSWORD).status());
    // Once the delay has passed, the right password signs in again.
    long deadline =
        System.nanoTime() + (Long.parseLong(throttled.header("Retry-After")) + 15) * 1_000_000_000L;
    Reply again = right;
    while (again.status() == 429 && System.nanoTime() < deadline) {
      Thread.sleep(250); // waiting out the server's own delay, which Retry-After announced
      again = formSignIn("lead-reviewer2", Api.PASSWORD);
    }
    assertEquals(200, again.status(), again.toString());
  }

  /** Signs in over plain HTTP as the workspace would, and returns the session cookie. */
  private static String sessionCookie(String user) {
    Reply login =
        Api.send(
            Api.plainRequest("/auth/login", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Requested-With", "arbiter-workspace")
                .header("Origin", Api.BASE)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "username=" + user + "&password=" + Api.PASSWORD))
                .build());
    assertEquals(200, login.status(), login.toString());
    String setCookie = login.header("Set-Cookie");
    assertTrue(setCookie.contains("HttpOnly"), setCookie);
    assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
    assertFalse(setCookie.contains("Secure"), "plain HTTP: not Secure, " + setCookie);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static Reply claimWith(String cookie, String id, String... headers) {
    HttpRequest.Builder request =
        Api.plainRequest("/api/v1/reviews/" + id + "/claim", null).header("Cookie", cookie);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return Api.send(request.POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  @Test
  void cookieAuthenticatedChange_withoutTheWorkspacesProof_isRefused() {
    String id = submitOtherCase();
    String cookie = sessionCookie("reviewer");

    Reply bare = claimWith(cookie, id);
    assertEquals(403, bare.status(), bare.toString());
    assertTrue(bare.body().contains("cross-site-request"), bare.toString());
    assertTrue(bare.body().contains("X-Requested-With"), bare.toString());
    Reply foreign =
        claimWith(cookie, id, "X-Requested-With", "x", "Origin", "https://evil.example");
    assertEquals(403, foreign.status(), foreign.toString());
    assertTrue(foreign.body().contains("\"Origin\""), foreign.toString());
    Reply crossSite =
        claimWith(
            cookie,
            id,
            "X-Requested-With",
            "x",
            "Origin",
            Api.BASE,
            "Sec-Fetch-Site",
            "cross-site");
    assertEquals(403, crossSite.status(), crossSite.toString());
    Reply forged =
        Api.send(
            Api.plainRequest("/auth/login", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "username=reviewer&password=" + Api.PASSWORD))
                .build());
    assertEquals(403, forged.status(), "login CSRF: " + forged);

    // Reads need no proof; the workspace's own request passes; Basic is untouched.
    Reply list =
        Api.send(
            Api.plainRequest("/api/v1/reviews?queue=" + QUEUE, null)
                .header("Cookie", cookie)
                .GET()
                .build());
    assertEquals(200, list.status(), list.toString());
    Reply own = claimWith(cookie, id, "X-Requested-With", "x", "Origin", Api.BASE);
    assertEquals(200, own.status(), own.toString());
    // Basic credentials a browser cached are sent with another site's requests too: a browser's
    // word that the change comes from elsewhere refuses it; clients that say nothing pass.
    Reply foreignBasic =
        postJson(
            "/api/v1/reviews/" + id + "/claim", "reviewer2", "", "Origin", "https://evil.example");
    assertEquals(403, foreignBasic.status(), foreignBasic.toString());
    assertTrue(foreignBasic.body().contains("cross-site-request"), foreignBasic.toString());
    Reply crossSiteBasic =
        postJson(
            "/api/v1/reviews/" + id + "/claim", "reviewer2", "", "Sec-Fetch-Site", "cross-site");
    assertEquals(403, crossSiteBasic.status(), crossSiteBasic.toString());
    // Another site's form, from a browser that sends no Origin: a change never comes as a form.
    for (String form : List.of("application/x-www-form-urlencoded", "text/plain")) {
      Reply formBasic =
          Api.send(
              Api.plainRequest("/api/v1/reviews/" + id + "/claim", "reviewer2")
                  .header("Content-Type", form)
                  .POST(HttpRequest.BodyPublishers.ofString(""))
                  .build());
      assertEquals(415, formBasic.status(), form + ": " + formBasic);
      assertTrue(formBasic.body().contains("\"Content-Type\""), formBasic.toString());
    }
    Reply basic = postJson("/api/v1/reviews/" + id + "/claim", "reviewer2", "");
    assertEquals(200, basic.status(), basic.toString());

    // Signed out, the cookie is worth nothing; the workspace's 401 has no Basic challenge.
    Reply logout =
        Api.send(
            Api.plainRequest("/auth/logout", null)
                .header("Cookie", cookie)
                .header("X-Requested-With", "x")
                .header("Origin", Api.BASE)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertEquals(204, logout.status(), logout.toString());
    Reply after =
        Api.send(
            Api.plainRequest("/api/v1/reviews", null)
                .header("Cookie", cookie)
                .header("X-Requested-With", "x")
                .GET()
                .build());
    assertEquals(401, after.status(), after.toString());
    assertNull(after.header("WWW-Authenticate"), "no browser password dialog for the workspace");
    Reply anonymous = Api.send(Api.plainRequest("/api/v1/reviews", null).GET().build());
    assertEquals(401, anonymous.status());
    assertTrue(anonymous.header("WWW-Authenticate").startsWith("Basic"), anonymous.toString());
  }

  @Test
  void workspacePages_areServedWithAStrictContentSecurityPolicy() {
    Reply page = Api.get("/ui/task.html", null, "text/html");
    assertEquals(200, page.status(), page.toString());
    String csp = page.header("Content-Security-Policy");
    assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
    assertFalse(page.body().toLowerCase(Locale.ROOT).contains("<script>"), "no inline script");
    assertEquals("nosniff", page.header("X-Content-Type-Options"));

    // The API's answers are data: nothing in them may load or run, and nothing may frame them.
    Reply api = Api.get("/api/v1/reviews?queue=" + QUEUE, "reviewer", "application/json");
    assertEquals(200, api.status(), api.toString());
    assertEquals("nosniff", api.header("X-Content-Type-Options"));
    assertEquals("DENY", api.header("X-Frame-Options"));
    assertEquals("same-origin", api.header("Referrer-Policy"));
    assertTrue(
        api.header("Content-Security-Policy").startsWith("default-src 'none'"),
        api.header("Content-Security-Policy"));
    assertNull(api.header("Strict-Transport-Security"), "HSTS only over HTTPS");
  }

  /** On any failure, a screenshot (target/ui/failure.png) and the page's text in the message. */
  @org.junit.jupiter.api.extension.RegisterExtension
  static final org.junit.jupiter.api.extension.TestExecutionExceptionHandler PAGE_ON_FAILURE =
      (context, failure) -> {
        if (browser != null) {
          browser.screenshot("failure-" + context.getRequiredTestMethod().getName());
          failure.addSuppressed(
              new AssertionError("at " + browser.driver.getCurrentUrl() + ":\n" + browser.text()));
        }
        throw failure;
      };

  private static void assertBlind(String where) {
    String all = browser.everything().toLowerCase(Locale.ROOT);
    for (String tell : TELLS) {
      assertFalse(all.contains(tell), where + " holds '" + tell + "'");
    }
    // The page's only sources: the review API, who is signed in, and the workspace's own files.
    @SuppressWarnings("unchecked")
    List<String> loaded =
        (List<String>)
            browser.driver.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name);");
    assertFalse(loaded.isEmpty(), where + " loaded nothing?");
    for (String url : loaded) {
      String path = URI.create(url).getPath();
      assertTrue(
          path.equals("/api/v1/reviews")
              || path.startsWith("/api/v1/reviews/")
              || path.equals("/auth/me")
              || path.startsWith("/ui/"),
          where + " requested " + url);
    }
  }

  /** Over the API: the reviewer holds no claim on the task, which is open with every slot free. */
  private static void assertOpenAndUnclaimed(String id) {
    JsonObject detail = Api.get("/api/v1/reviews/" + id, "reviewer", "application/json").json();
    assertTrue(!detail.containsKey("myClaim") || detail.isNull("myClaim"), detail.toString());
    JsonObject task = detail.getJsonObject("task");
    assertEquals("open", task.getString("state"), task.toString());
    assertEquals(task.getInt("reviewersNeeded"), task.getInt("freeSlots"), task.toString());
  }
}
