package io.arbiter.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Callback signatures against the Standard Webhooks specification's published test vector. */
class CallbackSignatureTest {

  // From the specification (standardwebhooks.com), which its libraries in every language test.
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330;
  private static final String BODY = "{\"test\": 2432232314}";
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private static final Instant SIGNED_AT = Instant.ofEpochSecond(TIMESTAMP);

  @Test
  void signsAsTheSpecificationsTestVector() {
    assertEquals(SIGNATURE, CallbackSignature.sign(SECRET, ID, TIMESTAMP, BODY));
  }

  @Test
  void verifiesTheTestVector_andRefusesAnyChangeToIt() {
    String ts = Long.toString(TIMESTAMP);
    assertTrue(CallbackSignature.verify(SECRET, ID, ts, SIGNATURE, BODY, SIGNED_AT));
    assertFalse(CallbackSignature.verify(SECRET, ID, ts, SIGNATURE, BODY + " ", SIGNED_AT));
    assertFalse(CallbackSignature.verify(SECRET, "msg_other", ts, SIGNATURE, BODY, SIGNED_AT));
    assertFalse(
        CallbackSignature.verify(SECRET, ID, "1614265331", SIGNATURE, BODY, SIGNED_AT),
        "the timestamp is signed");
    assertFalse(
        CallbackSignature.verify(
            CallbackSignature.newSecret(), ID, ts, SIGNATURE, BODY, SIGNED_AT));
    assertFalse(CallbackSignature.verify(SECRET, ID, ts, "v1,bm90IGl0", BODY, SIGNED_AT));
    assertFalse(CallbackSignature.verify(SECRET, ID, ts, "v1,%%%", BODY, SIGNED_AT));
    assertFalse(CallbackSignature.verify(SECRET, ID, "soon", SIGNATURE, BODY, SIGNED_AT));
    assertFalse(CallbackSignature.verify(SECRET, null, ts, SIGNATURE, BODY, SIGNED_AT));
  }

  @Test
  void aReceiverRefusesATimestampOutsideFiveMinutes_eitherWay() {
    String ts = Long.toString(TIMESTAMP);
    assertTrue(
        CallbackSignature.verify(SECRET, ID, ts, SIGNATURE, BODY, SIGNED_AT.plusSeconds(300)));
    assertFalse(
        CallbackSignature.verify(SECRET, ID, ts, SIGNATURE, BODY, SIGNED_AT.plusSeconds(301)),
        "a replay of an old delivery");
    assertFalse(
        CallbackSignature.verify(SECRET, ID, ts, SIGNATURE, BODY, SIGNED_AT.minusSeconds(301)),
        "a timestamp from the future");
  }

  @Test
  void anyOfSeveralSpaceSeparatedSignaturesWill() {
    String rotated = CallbackSignature.sign(CallbackSignature.newSecret(), ID, TIMESTAMP, BODY);
    String ts = Long.toString(TIMESTAMP);
    assertTrue(
        CallbackSignature.verify(SECRET, ID, ts, rotated + " " + SIGNATURE, BODY, SIGNED_AT));
    assertTrue(CallbackSignature.verify(SECRET, ID, ts, "v2,x " + SIGNATURE, BODY, SIGNED_AT));
  }

  @Test
  void newSecretsAre32RandomBytes_inTheSpecificationsForm() {
    String secret = CallbackSignature.newSecret();
    assertTrue(secret.startsWith("whsec_"), secret);
    assertEquals(32, Base64.getDecoder().decode(secret.substring(6)).length);
    assertNotEquals(secret, CallbackSignature.newSecret());
  }

  @Test
  void aSecretRegisteredBeforeTheSpecificationKeepsItsKey() {
    // Registrations made before kept the bare base64url of the key; the same bytes sign now.
    byte[] key = CallbackSignature.key(SECRET);
    String legacy = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    assertEquals(SIGNATURE, CallbackSignature.sign(legacy, ID, TIMESTAMP, BODY));
  }
}
