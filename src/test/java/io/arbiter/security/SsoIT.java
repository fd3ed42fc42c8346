package io.arbiter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Browser;
import io.arbiter.testing.OpenIdProvider;
import io.arbiter.testing.OwnServer;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Single sign-on through a real OpenID provider (Open Liberty's, {@link OpenIdProvider}): the tests
 * get access tokens from its token endpoint and call an Arbiter server of their own that trusts it
 * (arbiter.sso.*). Roles come from the tokens' groups claim, tenants from the claim configured for
 * them; a token that is tampered with, expired, for another audience or of another issuer is
 * answered 401; the user registry's Basic sign-in keeps working beside it.
 */
class SsoIT {

  private static final int PORT = 9404;
  private static OpenIdProvider provider;
  private static OwnServer arbiter;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * For the workspace's POSTs, as a browser sends them over plain HTTP: HTTP/1.1 with a Host
   * header, which the cross-site check compares Origin with (an h2c upgrade would leave none).
   */
  private static final HttpClient HTTP_1_1 =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void start() throws Exception {
    provider = new OpenIdProvider(OpenIdProvider.configuredPort(), PORT).start();
    arbiter =
        new OwnServer(
            "arbiter-sso",
            PORT,
            Map.of(
                SecurityWiring.CLIENT_ID,
                "arbiter",
                SecurityWiring.CLIENT_SECRET,
                "arbiter-secret",
                "arbiter.sso.provider-name",
                "Liberty OP",
                SsoSettings.ISSUER,
                provider.issuer("OP"),
                SsoSettings.JWKS_URI,
                provider.issuer("OP") + "/jwk",
                SsoSettings.AUDIENCE,
                "arbiter-api",
                // Liberty's provider puts every group of its registry into this one claim.
                SsoSettings.TENANT_CLAIM,
                "groups",
                SsoSettings.CLOCK_SKEW,
                "PT0S"),
            // Behind a proxy that ends TLS: Liberty takes X-Forwarded-* from loopback only.
            """
              <httpEndpoint id="defaultHttpEndpoint">
                <remoteIp proxies="127\\.0\\.0\\.1|0:0:0:0:0:0:0:1"/>
              </httpEndpoint>
            """);
    arbiter.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (arbiter != null) {
      arbiter.stop();
    }
    if (provider != null) {
      provider.close();
    }
  }

  private static String token(String user) throws Exception {
    return provider.accessToken("OP", "arbiter", "arbiter-secret", user);
  }

  private static HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(arbiter.base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String decision(String tenant) {
    return """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "sso-%s", "tenant": "%s",
         "input": {"amount": 12000, "income": 56000, "riskScore": 0.1},
         "output": {"label": "approve", "score": 0.8, "confidence": 0.9}}"""
        .formatted(UUID.randomUUID(), tenant);
  }

  private static void assertUnauthorized(HttpResponse<String> reply) {
    assertEquals(401, reply.statusCode(), reply.body());
    assertTrue(
        reply
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json"),
        reply.headers().toString());
    assertEquals(
        "Bearer error=\"invalid_token\"",
        reply.headers().firstValue("WWW-Authenticate").orElse(""),
        reply.headers().toString());
    assertFalse(reply.body().contains("Exception"), reply.body());
  }

  @Test
  void bearer_providerToken_signsInWithTheRolesOfItsGroups() throws Exception {
    String token = token("sso-auditor");
    assertEquals(List.of("auditor"), groups(token), "as the provider issued it");
    HttpResponse<String> read = call("GET", "/api/v1/decisions?limit=1", token, null);
    assertEquals(200, read.statusCode(), read.body());
    // An auditor does not submit: the role came from the token, and only that role.
    HttpResponse<String> submit = call("POST", "/api/v1/decisions", token, decision("globex"));
    assertEquals(403, submit.statusCode(), submit.body());
  }

  @Test
  void bearer_groupsNamingNoRole_mayDoNothing() throws Exception {
    HttpResponse<String> read = call("GET", "/api/v1/decisions?limit=1", token("sso-nobody"), null);
    assertEquals(403, read.statusCode(), read.body());
  }

  @Test
  void bearer_tenantClaim_grantsAndBindsItsTenantsOnly() throws Exception {
    String token = token("sso-integrator");
    // globex is in no grants file of this server: only the token grants it.
    HttpResponse<String> granted = call("POST", "/api/v1/decisions", token, decision("globex"));
    assertTrue(
        granted.statusCode() == 201 || granted.statusCode() == 202,
        granted.statusCode() + " " + granted.body());
    String id = OwnServer.json(granted.body()).getString("id");
    // The claim binds reads too: the submitter reads its globex decision back; sso-auditor, whose
    // claim (this server's groups) names no globex, is bound to what it names and finds nothing.
    HttpResponse<String> recorded = call("GET", "/api/v1/decisions/" + id, token, null);
    assertEquals(200, recorded.statusCode(), recorded.body());
    HttpResponse<String> otherTenant =
        call("GET", "/api/v1/decisions/" + id, token("sso-auditor"), null);
    assertEquals(404, otherTenant.statusCode(), otherTenant.body());
    JsonObject decision = OwnServer.json(recorded.body());
    assertEquals("globex", decision.getString("tenant"), recorded.body());
    assertEquals("sso-integrator", decision.getString("submittedBy"), recorded.body());
    HttpResponse<String> refused = call("POST", "/api/v1/decisions", token, decision("retail"));
    assertEquals(403, refused.statusCode(), refused.body());
    assertEquals(
        "https://w3id.org/arbiter/problems/tenant-not-granted",
        OwnServer.json(refused.body()).getString("type"));
    // The demo integrator, signed in with the registry's password, is not granted globex.
    HttpResponse<String> basic =
        arbiter.send("POST", "/api/v1/decisions", "integrator", decision("globex"));
    assertEquals(403, basic.statusCode(), basic.body());
  }

  /**
   * The tenant claim binds every kind of read, as the grants file binds a registry user (for whom
   * TenantMatrixIT runs every operation; both reach reads through TenantGrants.scopeOf): two
   * auditors signed in with the provider's tokens, one whose claim names globex and one whose claim
   * does not, read a globex decision by id, in the decision list, through /sparql, as linked data,
   * in an export and as its ledger entry. The first finds it on each path, the second on none.
   */
  @Test
  void bearer_tenantClaim_bindsEveryKindOfRead() throws Exception {
    HttpResponse<String> submitted =
        call("POST", "/api/v1/decisions", token("sso-integrator"), decision("globex"));
    assertTrue(
        submitted.statusCode() == 201 || submitted.statusCode() == 202,
        submitted.statusCode() + " " + submitted.body());
    JsonObject receipt = OwnServer.json(submitted.body());
    String id = receipt.getString("id");
    long sequence = receipt.getJsonNumber("sequence").longValue();
    String iri = receipt.getString("iri");
    String subject =
        OwnServer.json(call("GET", "/api/v1/decisions/" + id, token("sso-integrator"), null).body())
            .getString("subject");
    String ask =
        "PREFIX arb: <https://w3id.org/arbiter#> SELECT ?d WHERE { ?d arb:caseId \"%s\" }"
            .formatted(subject);
    Map<String, String> reads = new java.util.LinkedHashMap<>();
    reads.put("by id", "/api/v1/decisions/" + id);
    reads.put("in the list", "/api/v1/decisions?limit=200");
    reads.put("through /sparql", "/sparql?query=" + URLEncoder.encode(ask, StandardCharsets.UTF_8));
    reads.put("as linked data", "/id/decisions/" + id);
    reads.put("in an export", "/api/v1/export?format=nquads&from=" + sequence);
    reads.put("as its ledger entry", "/api/v1/ledger/entries/" + sequence);
    String own = token("sso-globex-auditor");
    String other = token("sso-auditor");
    for (var read : reads.entrySet()) {
      HttpResponse<String> seen = graphRead(read.getValue(), own, sequence);
      assertEquals(200, seen.statusCode(), read.getKey() + ": " + seen.body());
      assertTrue(
          seen.body().contains(id) || seen.body().contains(iri),
          read.getKey() + ", bound to globex: " + seen.body());
      HttpResponse<String> unseen = graphRead(read.getValue(), other, sequence);
      assertTrue(
          unseen.statusCode() == 404
              || (unseen.statusCode() == 200
                  && !unseen.body().contains(id)
                  && !unseen.body().contains(iri)),
          read.getKey() + ", bound elsewhere: " + unseen.statusCode() + " " + unseen.body());
    }
  }

  /** A GET as a token's caller that waits until the graph holds {@code sequence}. */
  private static HttpResponse<String> graphRead(String path, String token, long sequence)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(arbiter.base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .header("Arbiter-Wait-For-Sequence", Long.toString(sequence))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bearer_tamperedToken_is401() throws Exception {
    String[] parts = token("sso-auditor").split("\\.");
    JsonObject claims = OpenIdProvider.claims(parts[0] + "." + parts[1]);
    String raised =
        claims.toString().replace(claims.get("groups").toString(), "[\"auditor\",\"admin\"]");
    assertTrue(raised.contains("admin"), raised);
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(raised.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertUnauthorized(call("GET", "/api/v1/decisions?limit=1", tampered, null));
  }

  @Test
  void bearer_tokenForAnotherAudience_is401() throws Exception {
    String token = provider.accessToken("OP", "elsewhere", "elsewhere-secret", "sso-auditor");
    assertEquals("other-api", OpenIdProvider.claims(token).getString("aud"));
    assertUnauthorized(call("GET", "/api/v1/decisions?limit=1", token, null));
  }

  @Test
  void bearer_tokenOfAnotherIssuer_is401() throws Exception {
    String token = provider.accessToken("Other", "arbiter", "arbiter-secret", "sso-auditor");
    assertEquals(provider.issuer("Other"), OpenIdProvider.claims(token).getString("iss"));
    assertUnauthorized(call("GET", "/api/v1/decisions?limit=1", token, null));
  }

  @Test
  void bearer_expiredToken_is401() throws Exception {
    // Brief: the trusted issuer and key, tokens that live 20 seconds.
    String token = provider.accessToken("Brief", "arbiter", "arbiter-secret", "sso-auditor");
    assertEquals(provider.issuer("OP"), OpenIdProvider.claims(token).getString("iss"));
    HttpResponse<String> fresh = call("GET", "/api/v1/decisions?limit=1", token, null);
    assertEquals(200, fresh.statusCode(), "accepted while it lives: " + fresh.body());
    long expiry = OpenIdProvider.claims(token).getJsonNumber("exp").longValue();
    while (Instant.now().getEpochSecond() <= expiry) {
      Thread.sleep(250); // waiting for the token's own expiry time, which the provider chose
    }
    assertUnauthorized(call("GET", "/api/v1/decisions?limit=1", token, null));
  }

  @Test
  void bearer_garbage_is401_andGrantsNothingWhereNoLoginIsNeeded() throws Exception {
    assertUnauthorized(call("GET", "/api/v1/decisions?limit=1", "not-a-token", null));
    // The ledger's key is public: served as to anyone, as with a wrong Basic password.
    HttpResponse<String> key = call("GET", "/api/v1/ledger/key", "not-a-token", null);
    assertEquals(200, key.statusCode(), key.body());
  }

  @Test
  void refusedTokens_areNotWrittenToTheLog() throws Exception {
    String foreign = provider.accessToken("OP", "elsewhere", "elsewhere-secret", "sso-auditor");
    assertUnauthorized(call("GET", "/api/v1/decisions?limit=1", foreign, null));
    String log =
        java.nio.file.Files.readString(
            java.nio.file.Path.of("target/liberty/wlp/usr/servers/arbiter-sso/logs/messages.log"));
    // The line names where the token came from (this test's loopback address), not whose it is.
    assertTrue(
        java.util.regex.Pattern.compile(
                "A bearer token from (127\\.0\\.0\\.1|0:0:0:0:0:0:0:1) was refused: another audience")
            .matcher(log)
            .find(),
        log);
    assertFalse(log.contains(foreign.split("\\.")[2]), "a token's signature is in the log");
  }

  @Test
  void basic_keepsWorkingBesideSingleSignOn() throws Exception {
    HttpResponse<String> read = arbiter.send("GET", "/api/v1/decisions?limit=1", "auditor", null);
    assertEquals(200, read.statusCode(), read.body());
  }

  /** A request of the workspace's sign-in, cookies by hand and redirects not followed. */
  private static HttpResponse<String> browse(String url, String cookie, String basicUser)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    if (basicUser != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (basicUser + ":" + OpenIdProvider.PASSWORD)
                          .getBytes(StandardCharsets.UTF_8)));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The status code of a GET of {@code path} on the loopback {@code port}, sent from {@code from}
   * (another loopback address: the server sees another client). Over a bare socket, since Java 17's
   * HTTP client cannot choose the address it connects from.
   */
  private static String statusFrom(String from, int port, String path) throws Exception {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.setSoTimeout(60_000);
      socket.bind(new java.net.InetSocketAddress(from, 0));
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
      socket
          .getOutputStream()
          .write(
              ("GET "
                      + path
                      + " HTTP/1.1\r\nHost: 127.0.0.1:"
                      + port
                      + "\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String statusLine =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return statusLine.split(" ")[1]; // HTTP/1.1 302 Found
    }
  }

  /** The name=value of the cookie {@code name} a reply sets. */
  private static String cookie(HttpResponse<String> reply, String name) {
    return reply.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(0, c.indexOf(';')))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cookie " + name + ": " + reply.headers()));
  }

  @Test
  void workspace_signsInThroughTheProvider_andGetsASessionWithTheRolesOfItsGroups()
      throws Exception {
    HttpResponse<String> start = browse(arbiter.base + "/auth/sso", null, null);
    assertEquals(302, start.statusCode(), start.body());
    String authorize = start.headers().firstValue("Location").orElseThrow();
    assertTrue(authorize.startsWith(provider.issuer("OP") + "/authorize?"), authorize);
    assertTrue(authorize.contains("code_challenge_method=S256"), authorize);
    String flow = cookie(start, "arbiter-sso-flow");
    assertTrue(
        start.headers().allValues("Set-Cookie").stream()
            .anyMatch(c -> c.startsWith("arbiter-sso-flow=") && c.contains("SameSite=Lax")),
        start.headers().toString());
    // The person signs in at the provider, which sends the browser back with a code.
    HttpResponse<String> signedIn = browse(authorize, null, "sso-auditor");
    assertEquals(302, signedIn.statusCode(), signedIn.body());
    String callback = signedIn.headers().firstValue("Location").orElseThrow();
    assertTrue(callback.startsWith(arbiter.base + "/auth/sso/callback?"), callback);
    // Another browser (without the flow cookie) cannot use that code.
    assertEquals(401, browse(callback, null, null).statusCode());
    HttpResponse<String> back = browse(callback, flow, null);
    // The one with it, the browser that started the flow, is signed in.
    assertEquals(302, back.statusCode(), back.body());
    assertEquals(arbiter.base + "/ui/", back.headers().firstValue("Location").orElseThrow());
    String session = cookie(back, "arbiter-session");
    assertTrue(
        back.headers().allValues("Set-Cookie").stream()
            .anyMatch(
                c ->
                    c.startsWith("arbiter-session=")
                        && c.contains("HttpOnly")
                        && c.contains("SameSite=Strict")),
        back.headers().toString());
    HttpResponse<String> me = browse(arbiter.base + "/auth/me", session, null);
    assertEquals(200, me.statusCode(), me.body());
    JsonObject who = OwnServer.json(me.body());
    assertEquals("sso-auditor", who.getString("user"));
    assertEquals(
        List.of("auditor"),
        who.getJsonArray("roles").getValuesAs(jakarta.json.JsonString::getString));
    HttpResponse<String> read = browse(arbiter.base + "/api/v1/decisions?limit=1", session, null);
    assertEquals(200, read.statusCode(), read.body());
    // A code is good once.
    assertEquals(401, browse(callback, flow, null).statusCode());
  }

  @Test
  void workspace_browserSignsInFromTheSignInPage_andSignsOutOfTheProviderToo() {
    try (Browser browser = new Browser("--ignore-certificate-errors")) {
      // The workspace's own sign-in page offers the provider beside the password form.
      browser.driver.get(arbiter.base + "/ui/");
      WebElement link = browser.shown(By.id("sso-link"));
      assertEquals("Sign in with Liberty OP", link.getText());
      browser.assertAccessible("sign-in with single sign-on offered");
      link.click();
      // The provider's own login page (Liberty's /oidc/login.jsp, over HTTPS).
      signInAtTheProvider(browser);
      browser.until(d -> d.getCurrentUrl().startsWith(arbiter.base + "/ui/") ? true : null);
      // The workspace, signed in as the provider's user, with the pages of the auditor role.
      WebElement who = browser.shown(By.id("who"));
      assertEquals("sso-auditor", who.getText());
      browser.driver.get(arbiter.base + "/ui/sparql.html");
      assertEquals("sso-auditor", browser.shown(By.id("who")).getText());
      assertFalse(browser.text().contains("Not for your roles"), browser.text());
      // Only the auditor's: the review queue is not theirs.
      browser.driver.get(arbiter.base + "/ui/queue.html");
      browser.until(d -> browser.text().contains("Not for your roles") ? true : null);

      // While the provider's session lasts, its link signs in again without asking (here with
      // Arbiter's session cookie dropped, as when that session expires).
      browser.driver.manage().deleteCookieNamed("arbiter-session");
      browser.driver.get(arbiter.base + "/ui/");
      browser.shown(By.id("sso-link")).click();
      browser.until(d -> d.getCurrentUrl().startsWith(arbiter.base + "/ui/") ? true : null);
      assertEquals("sso-auditor", browser.shown(By.id("who")).getText());
      // Signing out passes by the provider's end-session page and comes back to the sign-in page.
      browser.shown(By.id("sign-out")).click();
      browser.until(
          d ->
              d.getCurrentUrl().equals(arbiter.base + "/ui/") && signInShown(browser)
                  ? true
                  : null);
      // The provider's session has ended too: its link now asks for the password again.
      browser.shown(By.id("sso-link")).click();
      signInAtTheProvider(browser);
      browser.until(d -> d.getCurrentUrl().startsWith(arbiter.base + "/ui/") ? true : null);
      assertEquals("sso-auditor", browser.shown(By.id("who")).getText());
    }
  }

  private static boolean signInShown(Browser browser) {
    return !browser.driver.findElements(By.id("sso-link")).isEmpty()
        && browser.driver.findElement(By.id("sso-link")).isDisplayed();
  }

  private static void signInAtTheProvider(Browser browser) {
    browser.shown(By.name("j_username")).sendKeys("sso-auditor");
    browser.driver.findElement(By.name("j_password")).sendKeys(OpenIdProvider.PASSWORD);
    browser.driver.findElement(By.name("j_password")).submit();
  }

  @Test
  void workspace_signOut_endsArbitersSessionFirst_thenNamesTheProvidersEndSession()
      throws Exception {
    String session = ssoSession();
    JsonObject discovery =
        OwnServer.json(
            browse(provider.issuer("OP") + "/.well-known/openid-configuration", null, null).body());
    String endpoint = discovery.getString("end_session_endpoint");
    HttpResponse<String> logout =
        HTTP_1_1.send(
            HttpRequest.newBuilder(URI.create(arbiter.base + "/auth/logout"))
                .timeout(Duration.ofSeconds(60))
                .header("Cookie", session)
                .header("X-Requested-With", "arbiter-workspace")
                .header("Origin", arbiter.base)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, logout.statusCode(), logout.body());
    // Arbiter's session is over before the browser goes anywhere.
    assertEquals(401, browse(arbiter.base + "/auth/me", session, null).statusCode());
    String endSession = OwnServer.json(logout.body()).getString("endSession");
    assertTrue(endSession.startsWith(endpoint + "?"), endSession + " vs " + endpoint);
    Map<String, String> query = query(URI.create(endSession));
    assertEquals("arbiter", query.get("client_id"));
    assertEquals(arbiter.base + "/ui/", query.get("post_logout_redirect_uri"));
    // The hint is the ID token the provider issued to this client for this person.
    JsonObject hint = OpenIdProvider.claims(query.get("id_token_hint"));
    assertEquals(provider.issuer("OP"), hint.getString("iss"));
    assertEquals("sso-auditor", hint.getString("sub"));
    assertEquals("arbiter", hint.getString("aud"));
    // The provider takes it: it sends the browser back to the registered URI.
    HttpResponse<String> ended = browse(endSession, null, null);
    assertEquals(302, ended.statusCode(), ended.body());
    assertEquals(
        arbiter.base + "/ui/", ended.headers().firstValue("Location").orElseThrow(), ended.body());
  }

  @Test
  void workspace_passwordSessionSignOut_is204() throws Exception {
    HttpResponse<String> login =
        HTTP_1_1.send(
            HttpRequest.newBuilder(URI.create(arbiter.base + "/auth/login"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Requested-With", "arbiter-workspace")
                .header("Origin", arbiter.base)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "username=auditor&password=" + OwnServer.PASSWORD))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, login.statusCode(), login.body());
    HttpResponse<String> logout =
        HTTP_1_1.send(
            HttpRequest.newBuilder(URI.create(arbiter.base + "/auth/logout"))
                .timeout(Duration.ofSeconds(60))
                .header("Cookie", cookie(login, "arbiter-session"))
                .header("X-Requested-With", "arbiter-workspace")
                .header("Origin", arbiter.base)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    // No provider session to end: a password sign-in has no ID token.
    assertEquals(204, logout.statusCode(), logout.body());
  }

  /** A workspace session cookie from a sign-in through the provider, redirects by hand. */
  private static String ssoSession() throws Exception {
    HttpResponse<String> start = browse(arbiter.base + "/auth/sso", null, null);
    String authorize = start.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> signedIn = browse(authorize, null, "sso-auditor");
    String callback = signedIn.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> back = browse(callback, cookie(start, "arbiter-sso-flow"), null);
    assertEquals(302, back.statusCode(), back.body());
    return cookie(back, "arbiter-session");
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> values = new java.util.HashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      values.put(
          java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return values;
  }

  @Test
  void behindATrustedProxy_forwardedHttps_givesSecureCookiesAndAnHttpsRedirectUri()
      throws Exception {
    HttpResponse<String> direct = browse(arbiter.base + "/auth/sso", null, null);
    assertTrue(
        query(URI.create(direct.headers().firstValue("Location").orElseThrow()))
            .get("redirect_uri")
            .startsWith("http://localhost:" + PORT + "/"),
        direct.headers().toString());
    assertFalse(
        direct.headers().firstValue("Set-Cookie").orElseThrow().contains("Secure"),
        direct.headers().toString());
    HttpResponse<String> proxied =
        HTTP_1_1.send(
            HttpRequest.newBuilder(URI.create(arbiter.base + "/auth/sso"))
                .timeout(Duration.ofSeconds(60))
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-For", "203.0.113.9")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(302, proxied.statusCode(), proxied.body());
    String redirect =
        query(URI.create(proxied.headers().firstValue("Location").orElseThrow()))
            .get("redirect_uri");
    assertTrue(redirect.startsWith("https://"), redirect);
    assertTrue(
        proxied.headers().firstValue("Set-Cookie").orElseThrow().contains("; Secure"),
        proxied.headers().toString());

    // Form login through the same proxy, as the workspace's page posts it: the session cookie is
    // Secure and SameSite=Strict. The Origin is the one the browser saw (https, the proxy's port:
    // the redirect URI's, a default port left out as browsers do).
    URI seen = URI.create(redirect);
    int port = seen.getPort();
    String origin = "https://" + seen.getHost() + (port == -1 || port == 443 ? "" : ":" + port);
    HttpResponse<String> login =
        HTTP_1_1.send(
            HttpRequest.newBuilder(URI.create(arbiter.base + "/auth/login"))
                .timeout(Duration.ofSeconds(60))
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-For", "203.0.113.9")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Requested-With", "arbiter-workspace")
                .header("Origin", origin)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "username=auditor&password=" + OwnServer.PASSWORD))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, login.statusCode(), login.body());
    String session =
        login.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("arbiter-session="))
            .findFirst()
            .orElseThrow(() -> new AssertionError(login.headers().toString()));
    assertTrue(session.contains("; Secure"), session);
    assertTrue(session.contains("SameSite=Strict"), session);
    assertTrue(session.contains("HttpOnly"), session);
  }

  @Test
  void workspace_pendingSignInsPastTheCap_are503WithRetryAfter_andKeepEarlierOnes()
      throws Exception {
    // A server of its own, whose table of sign-ins under way holds three, two from one address.
    try (OwnServer small =
        new OwnServer(
            "arbiter-sso-cap",
            9405,
            Map.of(
                SecurityWiring.CLIENT_ID, "arbiter",
                SecurityWiring.CLIENT_SECRET, "arbiter-secret",
                SecurityWiring.MAX_PENDING_FLOWS, "3",
                SecurityWiring.MAX_PENDING_FLOWS_PER_ADDRESS, "2",
                SsoSettings.ISSUER, provider.issuer("OP"),
                SsoSettings.JWKS_URI, provider.issuer("OP") + "/jwk",
                SsoSettings.AUDIENCE, "arbiter-api"))) {
      small.start();
      // From 127.0.0.1, then from 127.0.0.2 (a socket bound to it): another client.
      String here = "http://127.0.0.1:9405/auth/sso";
      HttpResponse<String> first = browse(here, null, null);
      assertEquals(302, first.statusCode(), first.body());
      assertEquals(302, browse(here, null, null).statusCode());
      HttpResponse<String> third = browse(here, null, null);
      assertEquals(503, third.statusCode(), "past this address's two: " + third.body());
      assertTrue(third.body().contains("/server-busy"), third.body());
      long wait = Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(wait > 500 && wait <= 600, "until its first flow's ten minutes end: " + wait);
      assertTrue(
          third.headers().allValues("Set-Cookie").stream()
              .noneMatch(c -> c.startsWith("arbiter-sso-flow=")),
          third.headers().toString());
      assertEquals("302", statusFrom("127.0.0.2", 9405, "/auth/sso"), "another address goes on");
      assertEquals(
          "503", statusFrom("127.0.0.2", 9405, "/auth/sso"), "the table's three are taken");
      // The refusal evicted nothing: the first browser's flow is still there to be finished (its
      // state is checked, so a wrong one is refused, which uses the flow up; the table has room).
      String flow = cookie(first, "arbiter-sso-flow");
      HttpResponse<String> back =
          browse("http://127.0.0.1:9405/auth/sso/callback?state=wrong&code=x", flow, null);
      assertEquals(401, back.statusCode(), back.body());
      assertEquals(302, browse(here, null, null).statusCode());
    }
  }

  @Test
  void workspace_signInPageOffersTheProvider() throws Exception {
    HttpResponse<String> offer = browse(arbiter.base + "/auth/sso/provider", null, null);
    assertEquals(200, offer.statusCode(), offer.body());
    JsonObject provider = OwnServer.json(offer.body());
    assertEquals("Liberty OP", provider.getString("name"));
    assertEquals("/auth/sso", provider.getString("start"));
  }

  @Test
  void workspace_callbackWithAnotherState_is401() throws Exception {
    HttpResponse<String> start = browse(arbiter.base + "/auth/sso", null, null);
    String authorize = start.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> signedIn = browse(authorize, null, "sso-auditor");
    String callback = signedIn.headers().firstValue("Location").orElseThrow();
    String forged = callback.replaceAll("state=[^&]*", "state=forged");
    HttpResponse<String> back = browse(forged, cookie(start, "arbiter-sso-flow"), null);
    assertEquals(401, back.statusCode(), back.body());
    assertTrue(
        back.headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json"));
    assertTrue(
        back.headers().allValues("Set-Cookie").stream()
            .noneMatch(c -> c.startsWith("arbiter-session=")),
        "no session: " + back.headers());
  }

  private static List<String> groups(String token) {
    return OpenIdProvider.claims(token).getJsonArray("groups").stream()
        .map(v -> ((jakarta.json.JsonString) v).getString())
        .toList();
  }
}
