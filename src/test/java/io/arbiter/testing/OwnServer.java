package io.arbiter.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Liberty server of a test's own, beside the Arquillian one, run from the runtime and the WAR the
 * build made: for what the shared server cannot show — a SIGKILL, a graph store that goes away. It
 * runs in the foreground ({@code server run} execs the JVM), so {@link #kill} is a real SIGKILL of
 * the server's process.
 */
public final class OwnServer implements AutoCloseable {

  public static final String PASSWORD =
      System.getenv().getOrDefault("ARBITER_DEMO_PASSWORD", "arbiter");
  private static final Path WLP = Path.of("target/liberty/wlp").toAbsolutePath();

  public final String name;
  public final int port;
  public final String base;
  public final Path data;
  private final Path directory;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;

  /**
   * Writes the server's configuration (a fresh data directory) and deploys the WAR.
   *
   * @param settings further bootstrap properties
   */
  public OwnServer(String name, int port, Map<String, String> settings) throws IOException {
    this(name, port, Path.of("target/" + name + "-data").toAbsolutePath(), true, settings, "");
  }

  /**
   * As above, with {@code configuration} (elements of a Liberty {@code server.xml}) added to the
   * server's configuration: a user registry of the test's own, for instance.
   */
  public OwnServer(String name, int port, Map<String, String> settings, String configuration)
      throws IOException {
    this(
        name,
        port,
        Path.of("target/" + name + "-data").toAbsolutePath(),
        true,
        settings,
        configuration);
  }

  /**
   * A server over the data directory {@code data} as it is (a benchmark's seeded store), or a new
   * one if there is none; {@code settings} should name the base IRI the data was written under.
   */
  public static OwnServer over(String name, int port, Path data, Map<String, String> settings)
      throws IOException {
    return new OwnServer(name, port, data.toAbsolutePath(), false, settings, "");
  }

  /**
   * Settings are bootstrap properties; unless they say otherwise the server runs in demo mode (the
   * demo users) without HTTPS ({@code https.port=-1}).
   */
  private OwnServer(
      String name,
      int port,
      Path data,
      boolean fresh,
      Map<String, String> settings,
      String configuration)
      throws IOException {
    this.name = name;
    this.port = port;
    this.base = "http://localhost:" + port;
    this.data = data;
    this.directory = WLP.resolve("usr/servers/" + name);
    this.log = Path.of("target/" + name + "-server.log").toAbsolutePath();
    if (fresh) {
      deleteRecursively(data);
    }
    deleteRecursively(directory);
    Files.deleteIfExists(log);
    Files.createDirectories(directory.resolve("dropins"));
    Files.copy(
        Path.of("src/main/liberty/config/arbiter-demo.xml"), directory.resolve("arbiter-demo.xml"));
    Files.writeString(
        directory.resolve("server.xml"),
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <server description="Arbiter test server %s">
          <include location="${arbiter.root.server.xml}"/>
          <httpEndpoint id="defaultHttpEndpoint" host="*" httpPort="%d" httpsPort="${https.port}"/>
        %s
        </server>
        """
            .formatted(name, port, configuration));
    List<String> lines = new ArrayList<>();
    lines.add("arbiter.root.server.xml=" + Path.of("server.xml").toAbsolutePath());
    lines.add("arbiter.data-dir=" + data);
    if (!settings.containsKey("arbiter.mode")) {
      lines.add("arbiter.mode=demo");
    }
    if (!settings.containsKey("https.port")) {
      lines.add("https.port=-1");
    }
    if (!settings.containsKey("arbiter.base-iri")) {
      lines.add("arbiter.base-iri=" + base + "/id/");
    }
    settings.forEach((key, value) -> lines.add(key + "=" + value));
    lines.add("");
    Files.writeString(directory.resolve("bootstrap.properties"), String.join("\n", lines));
    Files.copy(
        Path.of("target/arbiter.war"),
        directory.resolve("dropins/arbiter.war"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Puts the journal a release before outcome vocabularies wrote ({@code
   * src/test/resources/pre-vocabulary}, made by its {@code seed.sh}) in this server's data
   * directory, before {@link #start}: seven demo-credit decisions submitted at 2026-12-07T10:14Z
   * under the base IRI {@value #PRE_VOCABULARY_BASE_IRI}, three settled reviews, two open and three
   * outcomes, its hour not tallied.
   */
  public void placePreVocabularyJournal() throws IOException {
    Path journal = data.resolve("journal");
    Files.createDirectories(journal);
    String segment = "00000000000000000000.journal";
    try (var in =
        new java.util.zip.GZIPInputStream(
            OwnServer.class.getResourceAsStream("/pre-vocabulary/" + segment + ".gz"))) {
      Files.copy(in, journal.resolve(segment));
    }
  }

  /** The base IRI the pre-vocabulary journal was written under: a server reading it needs it. */
  public static final String PRE_VOCABULARY_BASE_IRI = "http://localhost:9080/id/";

  /** Starts the server and waits until it takes decisions. */
  public void start() throws Exception {
    start(Duration.ofSeconds(240));
  }

  /** Starts the server and waits, up to {@code patience}, until it takes decisions. */
  public void start(Duration patience) throws Exception {
    launch();
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (send("GET", "/health/ready", null, null).statusCode() == 200
            && send("GET", "/api/v1/decisions?limit=1", "auditor", null).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (!process.isAlive()) {
        throw new AssertionError("the server exited; see target/" + name + "-server.log");
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the server did not become ready; see target/" + name + "-server.log");
  }

  /** Starts the server and returns at once; {@link #log} shows how its start goes. */
  public void launch() throws IOException {
    process =
        new ProcessBuilder(WLP.resolve("bin/server").toString(), "run", name)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
  }

  /** What the server has written to its console so far. */
  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** SIGTERM, as a service manager stops it: Liberty shuts down cleanly; waits until it has. */
  public void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new AssertionError("the server did not stop within 2 minutes");
    }
  }

  /** SIGKILL: no shutdown hook, no flush, nothing the server can do about it. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
    }
  }

  public HttpResponse<String> send(String method, String path, String user, String body)
      throws IOException, InterruptedException {
    return send(method, path, user, "application/json", body);
  }

  /** As above, with a body of {@code contentType}: a policy's YAML, for instance. */
  public HttpResponse<String> send(
      String method, String path, String user, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (user != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
    if (body != null) {
      request.header("Content-Type", contentType);
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Clients submitting decisions to this server until closed: the ids of those acknowledged (201 or
   * 202) go to {@code acknowledged}, other statuses (and -1 for a failed request) to {@link
   * Load#refused}.
   */
  public Load submitting(
      int clients, String prefix, Set<String> acknowledged, AtomicInteger counter) {
    return new Load(clients, prefix, acknowledged, counter);
  }

  /** Clients at work; closing stops them and waits for them. */
  public final class Load implements AutoCloseable {
    public final Queue<Integer> refused = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    private Load(int clients, String prefix, Set<String> acknowledged, AtomicInteger counter) {
      for (int c = 0; c < clients; c++) {
        Thread client =
            new Thread(
                () -> {
                  while (running.get()) {
                    int n = counter.incrementAndGet();
                    try {
                      HttpResponse<String> reply =
                          send("POST", "/api/v1/decisions", "integrator", decision(prefix, n));
                      if (reply.statusCode() == 201 || reply.statusCode() == 202) {
                        acknowledged.add(json(reply.body()).getString("id"));
                      } else {
                        refused.add(reply.statusCode());
                      }
                    } catch (IOException e) {
                      refused.add(-1); // e.g. the server died under us: never acknowledged
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
        threads.add(client);
        client.start();
      }
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      for (Thread client : threads) {
        client.join(30_000);
      }
    }
  }

  /** A demo-credit decision for subject {@code prefix-n}. */
  public static String decision(String prefix, int n) {
    return """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "%s-%d",
         "input": {"amount": %d, "income": 56000, "riskScore": 0.1},
         "output": {"label": "approve", "score": 0.8, "confidence": 0.9}}"""
        .formatted(prefix, n, 1000 + n * 37 % 90000);
  }

  public static JsonObject json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var files = Files.walk(path)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
