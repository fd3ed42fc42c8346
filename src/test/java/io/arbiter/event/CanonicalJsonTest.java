package io.arbiter.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  private static JsonValue json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }

  @Test
  void text_sortsKeysDropsWhitespaceAndNormalisesNumbers() {
    assertEquals(
        "{\"a\":[1,0,1.5,\"x\"],\"b\":{\"c\":true,\"d\":null}}",
        CanonicalJson.text(
            json(" { \"b\": {\"d\": null, \"c\": true}, \"a\": [1.0, -0.0, 15e-1, \"x\"] } ")));
  }

  @Test
  void sha256_sameValueSpelledDifferently_isEqual() {
    assertEquals(
        CanonicalJson.sha256(json("{\"n\": 12000, \"s\": \"é\"}")),
        CanonicalJson.sha256(json("{\"s\":\"\\u00e9\",\"n\":1.2e4}")));
  }

  @Test
  void sha256_numbersBeyondDoublePrecision_stayDistinct() {
    assertNotEquals(
        CanonicalJson.sha256(json("[9007199254740993]")),
        CanonicalJson.sha256(json("[9007199254740992]")));
    assertNotEquals(
        CanonicalJson.sha256(json("[0.30000000000000001]")), CanonicalJson.sha256(json("[0.3]")));
  }

  @Test
  void text_escapesLikeRfc8785() {
    assertEquals(
        "\"q\\\"b\\\\n\\n\\u0001\"", CanonicalJson.text(json("\"q\\\"b\\\\n\\n\\u0001\"")));
  }

  @Test
  void sha256_hasThePrefixedHexForm() {
    assertEquals(
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        CanonicalJson.sha256(json("{}")));
  }
}
