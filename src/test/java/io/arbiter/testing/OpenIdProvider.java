package io.arbiter.testing;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;

/**
 * A real OpenID provider for the single sign-on tests: Open Liberty's {@code
 * openidConnectServer-1.0} in a second server of the runtime the build installed
 * (src/test/liberty/op/server.xml), run in the foreground as {@link OwnServer} runs Arbiter. Tokens
 * come from its token endpoint, by the password grant, as a script or a test client would get them.
 */
public final class OpenIdProvider implements AutoCloseable {

  private static final Path WLP = Path.of("target/liberty/wlp").toAbsolutePath();
  private static final String NAME = "arbiter-op";

  /** The password of every user of the provider's registry. */
  public static final String PASSWORD = "sso-password";

  public final int port;

  /** The port of the Arbiter server whose workspace signs in here (its callback's). */
  public final int relyingPartyPort;

  private final Path log = Path.of("target/" + NAME + "-server.log").toAbsolutePath();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;

  public OpenIdProvider(int port, int relyingPartyPort) {
    this.port = port;
    this.relyingPartyPort = relyingPartyPort;
  }

  /** The port the build gives the provider (the pom's test.op.port). */
  public static int configuredPort() {
    return Integer.getInteger("arbiter.test.op.port", 9295);
  }

  /** The issuer of provider {@code id} (OP, Brief, Other). */
  public String issuer(String id) {
    return "http://localhost:" + port + "/oidc/endpoint/" + id;
  }

  /** Writes the server, starts it and waits until it publishes its keys. */
  public OpenIdProvider start() throws Exception {
    Path directory = WLP.resolve("usr/servers/" + NAME);
    if (Files.exists(directory)) {
      try (var files = Files.walk(directory)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    Files.createDirectories(directory);
    Files.copy(Path.of("src/test/liberty/op/server.xml"), directory.resolve("server.xml"));
    Files.writeString(
        directory.resolve("bootstrap.properties"),
        "test.op.port="
            + port
            + "\ntest.op.https.port="
            + (port + 1)
            + "\ntest.rp.port="
            + relyingPartyPort
            + "\n");
    Files.deleteIfExists(log);
    process =
        new ProcessBuilder(WLP.resolve("bin/server").toString(), "run", NAME)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (get(issuer("OP") + "/jwk").statusCode() == 200
            && get(issuer("Other") + "/jwk").statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (!process.isAlive()) {
        throw new AssertionError("the OpenID provider exited; see " + log);
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the OpenID provider did not start; see " + log);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * An access token of provider {@code id} for {@code user}, asked for by {@code client} with the
   * password grant.
   */
  public String accessToken(String id, String client, String secret, String user)
      throws IOException, InterruptedException {
    String form =
        "grant_type=password&scope=openid%20profile&username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
    HttpResponse<String> reply =
        http.send(
            HttpRequest.newBuilder(URI.create(issuer(id) + "/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (client + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != 200) {
      throw new AssertionError("token endpoint: " + reply.statusCode() + " " + reply.body());
    }
    JsonObject body = OwnServer.json(reply.body());
    return body.getString("access_token");
  }

  /** A token's claims, decoded without any check (what the test asks the provider for). */
  public static JsonObject claims(String token) {
    String payload = token.split("\\.")[1];
    return OwnServer.json(
        new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
