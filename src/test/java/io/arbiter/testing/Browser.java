package io.arbiter.testing;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for the workspace's tests: Debian's headless Chromium driven through its
 * chromium-driver (WebDriver), both at their Debian paths unless {@code arbiter.test.chromium} and
 * {@code arbiter.test.chromedriver} say otherwise. Nothing is downloaded: Selenium Manager is not
 * asked, since both paths are given.
 */
public final class Browser implements AutoCloseable {

  /** Where screenshots and the accessibility report go. */
  public static final Path OUT = Path.of("target", "ui");

  /** Where the browser saves what it downloads. */
  private static final Path DOWNLOADS = OUT.resolve("downloads").toAbsolutePath();

  private static final String CHROMIUM =
      System.getProperty("arbiter.test.chromium", "/usr/bin/chromium");
  private static final String DRIVER =
      System.getProperty("arbiter.test.chromedriver", "/usr/bin/chromedriver");

  public final ChromeDriver driver;
  private final WebDriverWait wait;

  public Browser() {
    this(new String[0]);
  }

  /**
   * With further Chromium arguments: {@code --ignore-certificate-errors} for a server of the test's
   * own with Liberty's self-signed certificate (SsoIT's OpenID provider).
   */
  public Browser(String... arguments) {
    for (String file : List.of(CHROMIUM, DRIVER)) {
      if (!new File(file).canExecute()) {
        throw new IllegalStateException(
            file
                + " is missing: the workspace's browser tests need Chromium and its WebDriver"
                + " (apt-get install -y chromium chromium-driver; README)");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1100,760",
        "--lang=en-GB",
        "--no-first-run");
    options.addArguments(arguments);
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory",
            DOWNLOADS.toString(),
            "download.prompt_for_download",
            false));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    // A page re-renders as its data arrives: an element found a moment ago may be gone.
    wait.ignoring(StaleElementReferenceException.class);
  }

  /** Opens a path of the test server. */
  public Browser open(String path) {
    driver.get(Api.BASE + path);
    return this;
  }

  /** Waits until {@code condition} holds (not null and not false). */
  public <T> T until(Function<WebDriver, T> condition) {
    return wait.until(condition);
  }

  /** The element, once it is displayed. */
  public WebElement shown(By by) {
    return wait.until(
        d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  /** Signs in through the sign-in page and waits for the page it leads to. */
  public void signIn(String user, String path) {
    open("/ui/?next=" + java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8));
    shown(By.id("username")).sendKeys(user);
    driver.findElement(By.id("password")).sendKeys(Api.PASSWORD);
    driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    until(d -> d.findElements(By.id("sign-out")).isEmpty() ? null : true);
  }

  public void signOut() {
    shown(By.id("sign-out")).click();
    shown(By.id("username"));
  }

  /** The page's text as rendered. */
  public String text() {
    return driver.findElement(By.tagName("body")).getText();
  }

  /**
   * Everything the page holds and fetched: its DOM, and every URL it loaded (the page, its scripts
   * and styles, its API requests) fetched again with its cookie, headers and bodies.
   */
  public String everything() {
    Object all =
        driver.executeAsyncScript(
            """
            const done = arguments[arguments.length - 1];
            const urls = [location.href, ...performance.getEntriesByType('resource').map(e => e.name)];
            Promise.all(urls.map(u => fetch(u, {headers: {'X-Requested-With': 'arbiter-workspace'}})
                .then(r => r.text().then(t => u + '\\n' + [...r.headers].join('\\n') + '\\n' + t))))
              .then(texts => done(document.documentElement.outerHTML + '\\n' + texts.join('\\n')));
            """);
    return String.valueOf(all);
  }

  /** Saves a screenshot as target/ui/{name}.png. */
  public void screenshot(String name) {
    try {
      Files.createDirectories(OUT);
      Files.write(OUT.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Clicks a download link and waits for the file the browser saves (Chromium writes to a temporary
   * name and gives the file its own name once complete); returns its text.
   */
  public String download(WebElement link, String name) {
    Path file = DOWNLOADS.resolve(name);
    try {
      Files.createDirectories(DOWNLOADS);
      Files.deleteIfExists(file);
      driver.executeCdpCommand(
          "Browser.setDownloadBehavior",
          Map.of("behavior", "allow", "downloadPath", DOWNLOADS.toString()));
      link.click();
      until(d -> Files.isRegularFile(file) ? true : null);
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Forgets any session the last test left: the browser is signed out, on the sign-in page. */
  public void forgetSession() {
    open("/ui/");
    driver.manage().deleteAllCookies();
  }

  /**
   * Runs axe-core on the page as it stands and fails on any serious or critical violation.
   *
   * @param page what the page is and its state, for the message and target/ui/axe.txt
   */
  public void assertAccessible(String page) {
    List<String> problems = accessibilityProblems(page);
    if (!problems.isEmpty()) {
      throw new AssertionError(page + ": " + problems);
    }
  }

  /**
   * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it stands; returns its serious and
   * critical violations, and appends a line per page to target/ui/axe.txt.
   */
  public List<String> accessibilityProblems(String page) {
    Results results =
        new AxeBuilder()
            .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"))
            .analyze(driver);
    List<Rule> violations = results.getViolations();
    List<String> grave =
        violations.stream()
            .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
            .map(v -> v.getId() + " (" + v.getImpact() + "): " + v.getNodes().size() + " nodes")
            .toList();
    String line =
        "%s: %d rules passed, %d violations (%s), %d serious or critical%n"
            .formatted(
                page,
                results.getPasses().size(),
                violations.size(),
                String.join(
                    ", ", violations.stream().map(v -> v.getId() + "/" + v.getImpact()).toList()),
                grave.size());
    try {
      Files.createDirectories(OUT);
      Files.writeString(
          OUT.resolve("axe.txt"), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return grave;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
