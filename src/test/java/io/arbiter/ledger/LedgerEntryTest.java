package io.arbiter.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LedgerEntryTest {

  private static final LedgerEntry ENTRY =
      new LedgerEntry(
          42,
          "decision.submitted",
          Instant.parse("2026-11-25T17:01:38.342405681Z"),
          "integrator",
          "http://x/id/decisions/d\u00e9",
          "http://x/id/bundles/42",
          "sha256:" + "ab".repeat(32));

  @Test
  void canonicalBytes_areRfc8785() {
    assertEquals(
        "{\"actor\":\"integrator\",\"bundle\":\"http://x/id/bundles/42\",\"bundleDigest\":\"sha256:"
            + "ab".repeat(32)
            + "\",\"seq\":42,\"subject\":\"http://x/id/decisions/d\u00e9\","
            + "\"time\":\"2026-11-25T17:01:38.342405681Z\",\"type\":\"decision.submitted\"}",
        new String(ENTRY.canonicalBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void parse_roundTrips() {
    assertEquals(ENTRY, LedgerEntry.parse(ENTRY.canonicalBytes()));
  }

  @Test
  void parse_refusesAnythingNotCanonical() {
    String canonical = new String(ENTRY.canonicalBytes(), StandardCharsets.UTF_8);
    for (String bad :
        new String[] {
          canonical.replace(",\"seq\":42", ", \"seq\":42"),
          canonical.replace("\"seq\":42", "\"seq\":42.0"),
          canonical.replace("{\"actor\"", "{\"extra\":1,\"actor\""),
          canonical.replace("\"seq\":42,", ""),
          canonical.replace("\"seq\":42", "\"seq\":\"42\""),
          "[]",
          ""
        }) {
      assertThrows(
          IllegalArgumentException.class,
          () -> LedgerEntry.parse(bad.getBytes(StandardCharsets.UTF_8)),
          bad);
    }
  }

  /** The journal's sequencer splices the number into a template: the bytes must be the entry's. */
  @Test
  void template_givesTheCanonicalBytesForAnySequence() {
    java.util.Random random = new java.util.Random(2026);
    String[] awkward = {"plain", "q\"uote", "back\\", "\",\"seq\":0,\"", "caf\u00e9 \uD83D\uDE00"};
    for (int i = 0; i < 200; i++) {
      String actor = awkward[random.nextInt(awkward.length)];
      String subject = "urn:" + awkward[random.nextInt(awkward.length)];
      long seq = i < 20 ? i : random.nextLong() >>> (1 + random.nextInt(62));
      LedgerEntry entry =
          new LedgerEntry(
              seq,
              "review.verdict",
              java.time.Instant.ofEpochMilli(random.nextLong() >>> 24),
              actor,
              subject,
              "urn:bundle/" + i,
              "sha256:" + "ab".repeat(32));
      LedgerEntry.Template template =
          LedgerEntry.template(
              entry.type(),
              entry.time(),
              entry.actor(),
              entry.subject(),
              entry.bundle(),
              entry.bundleDigest());
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          entry.canonicalBytes(), template.bytes(seq), entry::toString);
      assertEquals(entry, LedgerEntry.parse(template.bytes(seq)));
    }
  }

  @Test
  void constructor_loneSurrogateInAString_isRefusedNamingTheMember() {
    // UTF-8 has no form for it: the canonical bytes would silently hold '?' instead.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new LedgerEntry(
                    1,
                    "decision.submitted",
                    Instant.EPOCH,
                    "alice\ud800",
                    "http://x/id/decisions/d",
                    "http://x/id/bundles/1",
                    "sha256:" + "ab".repeat(32)));
    assertEquals("actor holds an unpaired UTF-16 surrogate at index 5", e.getMessage());
  }

  @Test
  void parse_escapedLoneSurrogate_isRefusedNamingTheMember() {
    String canonical = new String(ENTRY.canonicalBytes(), StandardCharsets.UTF_8);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LedgerEntry.parse(
                    canonical
                        .replace("\"integrator\"", "\"integrator\\udc00\"")
                        .getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("actor holds an unpaired"), e.getMessage());
  }
}
