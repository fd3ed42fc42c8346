package io.arbiter.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * A plain HTTP client for the integration tests: they talk to the deployed application as any
 * client would, with the demo users' Basic credentials.
 */
public final class Api {

  public static final String PASSWORD =
      System.getenv().getOrDefault("ARBITER_DEMO_PASSWORD", "arbiter");
  public static final String BASE =
      "http://localhost:" + System.getProperty("arbiter.test.http.port", "9280");

  /**
   * HTTP/1.1: with the default (HTTP/2), the JDK client asks plain-HTTP servers to upgrade (h2c),
   * and Liberty 26.0.0.3 then never answers a GET of /openapi/ui/ (curl --http2 hangs the same
   * way), which also holds the server from stopping. The API itself is not what is under test
   * there.
   */
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private Api() {}

  /** The application as built by `mvn package`: the tests exercise the real WAR. */
  public static WebArchive war() {
    return ShrinkWrap.create(ZipImporter.class, "arbiter.war")
        .importFrom(new File("target/arbiter.war"))
        .as(WebArchive.class);
  }

  /** A response, with its body read as text. */
  public record Reply(int status, String contentType, String body, HttpResponse<String> raw) {
    public JsonObject json() {
      try (var reader = Json.createReader(new StringReader(body))) {
        return reader.readObject();
      }
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + body;
    }
  }

  /** Paths answered from the graph store, which may lag the journal (docs/operations.md). */
  private static final java.util.List<String> GRAPH_READS =
      java.util.List.of("/sparql", "/api/v1/audit/", "/api/v1/lineage", "/id/", "/api/v1/export");

  /**
   * A request to the test server. A graph read asks, as an auditor reading their own writes would,
   * to wait until the graph holds every event recorded so far ({@code Arbiter-Wait-For-Sequence}):
   * the tests check what they recorded. Use {@link #plainRequest} to read the graph as it stands.
   */
  public static HttpRequest.Builder request(String path, String user) {
    HttpRequest.Builder builder = plainRequest(path, user);
    if (GRAPH_READS.stream().anyMatch(path::startsWith)) {
      long latest = latestEvent();
      if (latest >= 0) {
        builder.header("Arbiter-Wait-For-Sequence", Long.toString(latest));
      }
    }
    return builder;
  }

  /** The sequence number of the last event the server has recorded (-1: none). */
  public static long latestEvent() {
    Reply journal = send(plainRequest("/api/v1/journal", "admin").GET().build());
    if (journal.status() != 200) {
      throw new IllegalStateException("cannot read the journal's status: " + journal);
    }
    return journal.json().getJsonNumber("events").longValue() - 1;
  }

  /** A request to the test server, without waiting for the graph. */
  public static HttpRequest.Builder plainRequest(String path, String user) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(60));
    if (user != null) {
      String token =
          Base64.getEncoder()
              .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      builder.header("Authorization", "Basic " + token);
    }
    return builder;
  }

  public static Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body(),
          response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A JSON array of base64 strings (proofs, hashes) as bytes. */
  public static java.util.List<byte[]> base64(jakarta.json.JsonArray values) {
    return values.stream()
        .map(v -> Base64.getDecoder().decode(((jakarta.json.JsonString) v).getString()))
        .toList();
  }

  /** An unauthenticated GET whose body is bytes (tiles). */
  public static HttpResponse<byte[]> rawGet(String path) {
    return rawGet(path, null);
  }

  /** GET as {@code user} (null: without credentials), the body as bytes. */
  public static HttpResponse<byte[]> rawGet(String path, String user) {
    try {
      return CLIENT.send(
          request(path, user).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Reply get(String path, String user, String accept) {
    return send(request(path, user).header("Accept", accept).GET().build());
  }

  public static Reply postJson(String path, String user, String json, String... headers) {
    HttpRequest.Builder builder = request(path, user).header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return send(builder.POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  /** Registers a policy version from its YAML document, as {@code policy-author}. */
  public static Reply postPolicy(String yaml) {
    return send(
        request("/api/v1/policies", "policy-author")
            .header("Content-Type", "application/yaml")
            .POST(HttpRequest.BodyPublishers.ofString(yaml))
            .build());
  }

  /**
   * Puts a policy version in force as a test needs it before its decisions route by it: registered
   * by {@code policy-author}, approved and activated by {@code policy-approver}.
   *
   * @throws AssertionError naming the step that did not answer as expected
   */
  public static void activatePolicy(String yaml, String policyId, String version) {
    expect(201, postPolicy(yaml), "registering policy " + policyId);
    String path = "/api/v1/policies/" + policyId + "/versions/" + version + "/";
    expect(200, postJson(path + "approve", "policy-approver", "{}"), "approving " + path);
    expect(200, postJson(path + "activate", "policy-approver", "{}"), "activating " + path);
  }

  /** Registers a model version in the registry, as {@code data-steward}. */
  public static void registerModelVersion(String model, String json) {
    expect(
        201,
        postJson("/api/v1/registry/models/" + model + "/versions", "data-steward", json),
        "registering a version of " + model);
  }

  private static void expect(int status, Reply reply, String what) {
    if (reply.status() != status) {
      throw new AssertionError(what + ": expected " + status + ", got " + reply);
    }
  }

  public static Reply sparql(String user, String query, String accept) {
    String form = "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
    return send(
        request("/sparql", user)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", accept)
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build());
  }

  /**
   * Claims the review task as {@code reviewer} and gives one approving verdict under the demo
   * policy's low-confidence guardrail, with {@code justification} when not null; the verdict's
   * reply, for the caller to check.
   */
  public static Reply approveAsReviewer(String task, String justification) {
    Reply claimed = postJson("/api/v1/reviews/" + task + "/claim", "reviewer", "");
    if (claimed.status() != 200) {
      throw new AssertionError("the claim of " + task + " was refused: " + claimed);
    }
    var verdict =
        Json.createObjectBuilder()
            .add("verdict", "approve")
            .add("reasonCode", "confident-enough")
            .add("rules", Json.createArrayBuilder().add("low-confidence"));
    if (justification != null) {
      verdict.add("justification", justification);
    }
    return postJson("/api/v1/reviews/" + task + "/verdict", "reviewer", verdict.build().toString());
  }
}
