package io.arbiter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.LoopbackTls;
import io.arbiter.testing.OwnServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Production mode on servers of the test's own, started as the packaged server is (no {@code
 * arbiter.mode=demo}): one with the demo's passwords, which must refuse to start and say why; one
 * configured properly, which must take credentials over HTTPS only.
 */
class ProductionModeIT {

  private static final String STRONG = "correct-horse-battery-staple";

  /** A registry of the operator's own, the kind a configDropins file holds. */
  private static String registry(String adminPassword) {
    return """
          <basicRegistry id="basic" realm="arbiter">
            <user name="admin" password="%s"/>
            <user name="auditor" password="%s"/>
            <user name="integrator" password="%s"/>
            <group id="admin" name="admin"><member name="admin"/></group>
            <group id="auditor" name="auditor"><member name="auditor"/></group>
            <group id="integrator" name="integrator"><member name="integrator"/></group>
          </basicRegistry>
        """
        .formatted(adminPassword, STRONG, STRONG);
  }

  @Test
  void start_withTheDemoPasswordsInProduction_isRefusedNamingEach() throws Exception {
    try (OwnServer server =
        new OwnServer(
            "arbiter-prod-refused",
            9401,
            Map.of(
                "arbiter.mode",
                "production",
                ProductionReadiness.KEYSTORE_PASSWORD,
                ProductionReadiness.DEMO_KEYSTORE_PASSWORD),
            registry(ProductionReadiness.DEMO_PASSWORD))) {
      server.launch();
      String log = awaitLog(server, "Arbiter refuses to start in production mode");
      assertTrue(log.contains("ARBITER_KEYSTORE_PASSWORD is the demo's published default"), log);
      assertTrue(log.contains("user 'admin' signs in with the demo password"), log);
      assertFalse(log.contains("user 'auditor'"), "auditor's password is their own: " + log);
      assertFalse(log.contains("DEMO MODE"), log);
      // Nothing is served: the application did not start.
      HttpResponse<String> decisions = server.send("GET", "/api/v1/decisions", "auditor", null);
      assertEquals(404, decisions.statusCode(), decisions.body());
      assertNotEquals(200, server.send("GET", "/health/ready", null, null).statusCode());
    }
  }

  @Test
  void start_withoutAKeystorePasswordInProduction_isRefused() throws Exception {
    try (OwnServer server =
        new OwnServer(
            "arbiter-prod-no-keystore",
            9403,
            Map.of("arbiter.mode", "production"),
            registry(STRONG))) {
      server.launch();
      String log = awaitLog(server, "Arbiter refuses to start in production mode");
      assertTrue(
          log.contains(ProductionReadiness.KEYSTORE_PASSWORD + " is not set"),
          "names the missing setting: " + log);
      HttpResponse<String> decisions = server.send("GET", "/api/v1/decisions", "auditor", null);
      assertEquals(404, decisions.statusCode(), decisions.body());
    }
  }

  @Test
  void production_takesCredentialsOverHttpsOnly() throws Exception {
    int httpsPort = 9741;
    try (OwnServer server =
        new OwnServer(
            "arbiter-prod",
            9402,
            Map.of(
                "arbiter.mode",
                "production",
                "https.port",
                String.valueOf(httpsPort),
                ProductionReadiness.KEYSTORE_PASSWORD,
                "a-keystore-password-of-our-own"),
            registry(STRONG))) {
      server.launch();
      HttpClient tls = LoopbackTls.client();
      String https = "https://localhost:" + httpsPort;
      HttpResponse<String> overTls = awaitServed(server, tls, https + "/api/v1/decisions?limit=1");
      assertEquals(200, overTls.statusCode(), overTls.body());
      assertEquals(
          "max-age=31536000",
          overTls.headers().firstValue("Strict-Transport-Security").orElse(null));
      assertFalse(server.log().contains("DEMO MODE"), server.log());

      // Basic over plain HTTP: refused, the password left unread (a wrong one gets the same).
      for (String password : new String[] {STRONG, "wrong"}) {
        HttpResponse<String> plain =
            plain(server, "GET", "/api/v1/decisions?limit=1", basic("auditor", password), null);
        assertEquals(403, plain.statusCode(), plain.body());
        assertTrue(plain.body().contains("/problems/https-required"), plain.body());
        assertTrue(plain.body().contains(https), "names where to go: " + plain.body());
      }
      // The sign-in form over plain HTTP: refused likewise.
      HttpResponse<String> login =
          plain(server, "POST", "/auth/login", null, "username=auditor&password=" + STRONG);
      assertEquals(403, login.statusCode(), login.body());
      assertTrue(login.body().contains("/problems/https-required"), login.body());
      // A page without credentials: sent to HTTPS.
      HttpResponse<String> page = plain(server, "GET", "/ui/?q=1", null, null);
      assertEquals(308, page.statusCode(), page.body());
      assertEquals(https + "/ui/?q=1", page.headers().firstValue("Location").orElse(null));

      // Callbacks at production's settings: https to a public address only, whatever form an
      // internal address takes (IPv4-mapped and -compatible, NAT64, benchmarking, documentation,
      // reserved and private ranges), each refused naming the field; a public https URL is taken.
      for (String url :
          List.of(
              "http://93.184.216.34/hook",
              "https://[::ffff:127.0.0.1]/hook",
              "https://[::127.0.0.1]/hook",
              "https://[64:ff9b::a00:1]/hook",
              "https://198.18.0.1/hook",
              "https://192.0.2.1/hook",
              "https://240.0.0.1/hook",
              "https://10.0.0.1/hook")) {
        HttpResponse<String> refused = registerCallback(tls, https, url);
        assertEquals(422, refused.statusCode(), url + ": " + refused.body());
        assertTrue(refused.body().contains("\"url\""), url + ": " + refused.body());
      }
      HttpResponse<String> taken = registerCallback(tls, https, "https://93.184.216.34/hook");
      assertEquals(200, taken.statusCode(), taken.body());
    }
  }

  private static HttpResponse<String> registerCallback(HttpClient tls, String https, String url)
      throws Exception {
    return tls.send(
        HttpRequest.newBuilder(URI.create(https + "/api/v1/callbacks"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", basic("integrator", STRONG))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + url + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> plain(
      OwnServer server, String method, String path, String authorization, String form)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.base + path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (form != null) {
      request.header("Content-Type", "application/x-www-form-urlencoded");
    }
    request.method(
        method,
        form == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(form));
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** The log once it holds {@code text}; fails after four minutes or if the server exits. */
  private static String awaitLog(OwnServer server, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline) {
      String log = server.log();
      if (log.contains(text) && log.contains("CWWKF0011I")) {
        return log;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no '" + text + "' in the log: " + server.log());
  }

  /** The first 200 from {@code url} as the auditor over TLS, within four minutes. */
  private static HttpResponse<String> awaitServed(OwnServer server, HttpClient tls, String url)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last =
            tls.send(
                HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", basic("auditor", STRONG))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (last.statusCode() == 200) {
          return last;
        }
      } catch (java.io.IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "not served over TLS: "
            + (last == null ? "no answer" : last.statusCode() + " " + last.body())
            + "\n"
            + server.log());
  }
}
