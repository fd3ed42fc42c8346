package io.arbiter.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.arbiter.problem.ProblemException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callbacks against a real HTTP receiver on a loopback port: signed deliveries, retries with
 * backoff, dead letters that survive a restart, and redelivery.
 */
class CallbackDispatcherTest {

  /** What the receiver got: the Standard Webhooks headers, the attempt number and the body. */
  record Received(String id, String timestamp, String signature, String attempt, String body) {

    boolean verifies(String secret) {
      return CallbackSignature.verify(secret, id, timestamp, signature, body, Instant.now());
    }
  }

  @TempDir Path dir;
  private HttpServer receiver;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private CallbackRegistry registry;

  @BeforeEach
  void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              new Received(
                  exchange.getRequestHeaders().getFirst(CallbackSignature.ID),
                  exchange.getRequestHeaders().getFirst(CallbackSignature.TIMESTAMP),
                  exchange.getRequestHeaders().getFirst(CallbackSignature.SIGNATURE),
                  exchange.getRequestHeaders().getFirst("Arbiter-Attempt"),
                  body));
          int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
    // The receiver is on loopback, which deployments refuse by default.
    registry =
        new CallbackRegistry(
            dir.resolve("registrations.json"), Clock.systemUTC(), new CallbackTargets(true, false));
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
    scheduler.shutdownNow();
  }

  private String url() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  private CallbackDispatcher dispatcher(int attempts) {
    return new CallbackDispatcher(
        registry,
        dir.resolve("dead-letters.json"),
        scheduler,
        new Backoff(Duration.ofMillis(20), Duration.ofMillis(80), attempts),
        Clock.systemUTC(),
        new CallbackTargets(true, false));
  }

  @Test
  void aSettlementIsPostedSignedWithTheRegisteredSecret() throws Exception {
    CallbackRegistration registration = registry.register("acme", url());
    dispatcher(3).deliver("acme", "d-1", "{\"decision\":\"d-1\"}");
    Received got = received.poll(10, TimeUnit.SECONDS);
    assertEquals("{\"decision\":\"d-1\"}", got.body());
    assertTrue(got.id().startsWith("msg_"), got.id());
    assertTrue(got.verifies(registration.secret()));
    assertTrue(registration.secret().startsWith("whsec_"), "a Standard Webhooks secret");
    assertFalse(
        new Received(got.id(), got.timestamp(), got.signature(), got.attempt(), got.body() + " ")
            .verifies(registration.secret()));
    assertFalse(got.verifies(registry.register("other", url()).secret()));
  }

  @Test
  void nobodyIsCalledWithoutARegistration() throws Exception {
    dispatcher(3).deliver("nobody", "d-1", "{}");
    assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void failuresAreRetriedUntilOneSucceeds() throws Exception {
    registry.register("acme", url());
    failuresLeft.set(2);
    CallbackDispatcher dispatcher = dispatcher(5);
    dispatcher.deliver("acme", "d-1", "{}");
    List<Received> attempts = List.of(take(), take(), take());
    assertEquals(List.of("1", "2", "3"), attempts.stream().map(Received::attempt).toList());
    assertEquals(
        1,
        attempts.stream().map(Received::id).distinct().count(),
        "every attempt is the same message to the receiver");
    assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS));
    assertTrue(dispatcher.deadLetters(null).isEmpty());
  }

  @Test
  void aDeliveryFailingEveryAttemptIsADeadLetter_thatSurvivesARestartAndCanBeRedelivered()
      throws Exception {
    registry.register("acme", url());
    failuresLeft.set(3);
    dispatcher(3).deliver("acme", "d-9", "{\"decision\":\"d-9\"}");
    for (int i = 0; i < 3; i++) {
      take();
    }
    CallbackDispatcher restarted = awaitDeadLetter();
    DeadLetter letter = restarted.deadLetters("acme").get(0);
    assertEquals("d-9", letter.decision());
    assertEquals(3, letter.attempts());
    assertEquals("HTTP 503", letter.lastError());
    assertTrue(restarted.deadLetters("someone-else").isEmpty());

    assertEquals(Optional.empty(), restarted.redeliver(letter.id(), "someone-else"));
    // Without a registration there is nowhere to deliver: refused, and the letter stays.
    CallbackRegistration kept = registry.find("acme").orElseThrow();
    registry.remove("acme");
    ProblemException nowhere =
        assertThrows(ProblemException.class, () -> restarted.redeliver(letter.id(), "acme"));
    assertEquals(io.arbiter.problem.ProblemType.STATE_CONFLICT, nowhere.type());
    assertEquals(1, restarted.deadLetters("acme").size());
    registry.register("acme", kept.url().toString());
    assertEquals(letter, restarted.redeliver(letter.id(), "acme").orElseThrow());
    Received redelivered = take();
    assertEquals("{\"decision\":\"d-9\"}", redelivered.body());
    assertEquals(letter.messageId(), redelivered.id(), "a redelivery is the same message");
    assertEquals(null, received.poll(500, TimeUnit.MILLISECONDS), "delivered once");
    assertTrue(restarted.deadLetters(null).isEmpty());
  }

  /** Waits for the first dead letter, then reads it back through a new dispatcher. */
  private CallbackDispatcher awaitDeadLetter() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      CallbackDispatcher reread = dispatcher(3);
      if (!reread.deadLetters(null).isEmpty()) {
        return reread;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no dead letter was kept");
  }

  private Received take() throws InterruptedException {
    Received got = received.poll(10, TimeUnit.SECONDS);
    if (got == null) {
      throw new AssertionError("no delivery arrived");
    }
    return got;
  }

  @Test
  void onlyAbsoluteHttpsUrlsAreRegistered_andPlainHttpOnlyWhereAllowed() {
    for (String bad :
        new String[] {"ftp://x/y", "/relative", "http://user:pw@host/x", "nonsense"}) {
      ProblemException e = assertThrows(ProblemException.class, () -> registry.register("a", bad));
      assertEquals("url", e.errors().get(0).field(), bad);
    }
    assertTrue(registry.find("a").isEmpty());
    CallbackRegistry httpsOnly =
        new CallbackRegistry(
            dir.resolve("https.json"), Clock.systemUTC(), new CallbackTargets(true, true));
    ProblemException plain =
        assertThrows(ProblemException.class, () -> httpsOnly.register("a", url()));
    assertEquals("url", plain.errors().get(0).field());
    assertTrue(plain.errors().get(0).message().contains("https"), plain.toString());
  }

  @Test
  void byDefaultCallbacksMayNotReachThisHostOrItsPrivateNetwork() {
    CallbackRegistry strict =
        new CallbackRegistry(
            dir.resolve("strict.json"), Clock.systemUTC(), new CallbackTargets(false, false));
    for (String inside :
        new String[] {
          url(),
          "http://localhost:8080/x",
          "http://169.254.169.254/latest/meta-data",
          "http://10.1.2.3/hook",
          "http://192.168.0.10/hook",
          "http://[::1]/hook",
          "http://100.64.0.1/hook",
          "http://[::ffff:127.0.0.1]/hook",
          "http://[64:ff9b::7f00:1]/hook",
          "http://198.18.0.1/hook",
          "http://192.0.2.1/hook",
          "http://240.0.0.1/hook"
        }) {
      ProblemException e = assertThrows(ProblemException.class, () -> strict.register("a", inside));
      assertEquals("url", e.errors().get(0).field(), inside);
    }
    strict.register("a", "http://93.184.215.14/x"); // a public address is allowed
  }

  /**
   * The connection resolves its host through the target check itself: a name that resolves to a
   * refused address when the delivery is made is never connected to, whatever it resolved to when
   * it was registered (here a registration from a lab setting, delivered under the default one).
   */
  @Test
  void theConnectionGoesOnlyToAddressesTheCheckApproved() throws Exception {
    registry.register("acme", "http://localhost:" + receiver.getAddress().getPort() + "/hook");
    CallbackDispatcher strict =
        new CallbackDispatcher(
            registry,
            dir.resolve("dead-letters.json"),
            scheduler,
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(80), 2),
            Clock.systemUTC(),
            new CallbackTargets(false, false));
    strict.deliver("acme", "d-1", "{}");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (strict.deadLetters("acme").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    DeadLetter letter = strict.deadLetters("acme").get(0);
    assertTrue(letter.lastError().contains("refused"), letter.lastError());
    assertEquals(null, received.poll(200, TimeUnit.MILLISECONDS), "nothing reached the receiver");
  }

  @Test
  void aRegistrationWithdrawnMidRetryEndsTheDelivery() throws Exception {
    registry.register("acme", url());
    failuresLeft.set(100);
    CallbackDispatcher dispatcher = dispatcher(5);
    dispatcher.deliver("acme", "d-1", "{}");
    take();
    registry.remove("acme");
    Thread.sleep(400);
    received.clear();
    assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS));
    assertTrue(dispatcher.deadLetters(null).isEmpty(), "nothing to keep for an unregistered URL");
  }

  @Test
  void theBackoffDoublesUpToItsCapAndStopsAfterTheLastAttempt() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), 5);
    assertEquals(Optional.of(Duration.ofSeconds(1)), backoff.after(1));
    assertEquals(Optional.of(Duration.ofSeconds(2)), backoff.after(2));
    assertEquals(Optional.of(Duration.ofSeconds(4)), backoff.after(3));
    assertEquals(Optional.of(Duration.ofSeconds(5)), backoff.after(4));
    assertEquals(Optional.empty(), backoff.after(5));
  }
}
