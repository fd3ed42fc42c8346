package io.arbiter.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.problem.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContextMatchTest {

  private static final Map<String, Object> CONTEXT =
      Map.of(
          "site",
          "north",
          "amount",
          new BigDecimal("1200.0"),
          "urgent",
          Boolean.TRUE,
          "tags",
          List.of("north"),
          "address",
          Map.of("site", "north"));

  private static ContextMatch match(String key, String value) {
    List<FieldError> errors = new ArrayList<>();
    Optional<ContextMatch> match = ContextMatch.parse(key, value, errors);
    assertEquals(List.of(), errors);
    return match.orElseThrow();
  }

  private static List<String> refused(String key, String value) {
    List<FieldError> errors = new ArrayList<>();
    assertEquals(Optional.empty(), ContextMatch.parse(key, value, errors));
    return errors.stream().map(FieldError::field).toList();
  }

  @Test
  void matches_textsNumbersAndBooleansAsWritten() {
    assertTrue(match("site", "north").matches(CONTEXT));
    assertFalse(match("site", "North").matches(CONTEXT));
    assertTrue(match("amount", "1200").matches(CONTEXT), "equal as numbers");
    assertTrue(match("amount", "1.2e3").matches(CONTEXT));
    assertFalse(match("amount", "1201").matches(CONTEXT));
    assertFalse(match("amount", "twelve hundred").matches(CONTEXT));
    assertTrue(match("urgent", "true").matches(CONTEXT));
    assertFalse(match("urgent", "yes").matches(CONTEXT));
  }

  @Test
  void matches_listsObjectsAndAbsentKeys_never() {
    assertFalse(match("tags", "north").matches(CONTEXT));
    assertFalse(match("address", "north").matches(CONTEXT));
    assertFalse(match("address.site", "north").matches(CONTEXT));
    assertFalse(match("region", "north").matches(CONTEXT));
  }

  @Test
  void parse_neitherParameter_noMatch() {
    List<FieldError> errors = new ArrayList<>();
    assertEquals(Optional.empty(), ContextMatch.parse(null, null, errors));
    assertEquals(List.of(), errors);
  }

  @Test
  void parse_badOrMissingHalf_namesTheParameter() {
    assertEquals(List.of("contextValue"), refused("site", null));
    assertEquals(List.of("contextKey"), refused(null, "north"));
    assertEquals(List.of("contextKey"), refused("no spaces", "north"));
    assertEquals(List.of("contextValue"), refused("site", ""));
    assertEquals(List.of("contextValue"), refused("site", "x".repeat(ContextMatch.MAX_VALUE + 1)));
    assertEquals(
        List.of("contextKey", "contextValue"),
        refused("1site", "x".repeat(ContextMatch.MAX_VALUE + 1)));
    match("site", "x".repeat(ContextMatch.MAX_VALUE));
  }
}
