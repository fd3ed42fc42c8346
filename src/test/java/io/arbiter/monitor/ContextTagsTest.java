package io.arbiter.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.Test;

class ContextTagsTest {

  private final ContextTags site =
      ContextTags.declared(Optional.of("site"), List.of("north", "7", "true"));

  @Test
  void value_isADeclaredValue_otherForAnother_noneWithoutTheKey() {
    assertEquals("north", site.value(Map.of("site", "north")));
    assertEquals("other", site.value(Map.of("site", "south")));
    assertEquals("", site.value(Map.of("region", "north")));
    assertEquals("", site.value(Map.of()));
    // Numbers and booleans as written, as the figures' context filters match them.
    assertEquals("7", site.value(Map.of("site", new BigDecimal("7.0"))));
    assertEquals("true", site.value(Map.of("site", true)));
    // A number is matched as a number, whatever its form; text that looks like one is text.
    assertEquals("7", site.value(Map.of("site", 7L)));
    assertEquals("other", site.value(Map.of("site", 8)));
    assertEquals("other", site.value(Map.of("site", "7.0")));
    // A structured value is no declared value.
    assertEquals("other", site.value(Map.of("site", Map.of("name", "north"))));
  }

  @Test
  void withoutAKey_noCounterCarriesTheTag() {
    ContextTags none = ContextTags.declared(Optional.empty(), List.of());
    assertFalse(none.enabled());
    assertEquals(Optional.empty(), none.of("north"));
    assertEquals("", none.value(Map.of("site", "north")));
    assertTrue(site.enabled());
    assertEquals(Optional.of(new Tag("context", "north")), site.of("north"));
  }

  @Test
  void declared_refusesSettingsThatCannotBeRight_namingTheSetting() {
    var valuesAlone =
        assertThrows(
            IllegalArgumentException.class,
            () -> ContextTags.declared(Optional.empty(), List.of("north")));
    assertTrue(valuesAlone.getMessage().contains("arbiter.metrics.context-key"));
    var badKey =
        assertThrows(
            IllegalArgumentException.class,
            () -> ContextTags.declared(Optional.of("site name"), List.of()));
    assertTrue(badKey.getMessage().startsWith("arbiter.metrics.context-key"), badKey.getMessage());
    var other =
        assertThrows(
            IllegalArgumentException.class,
            () -> ContextTags.declared(Optional.of("site"), List.of("other")));
    assertTrue(other.getMessage().startsWith("arbiter.metrics.context-values"), other.getMessage());
    var longValue =
        assertThrows(
            IllegalArgumentException.class,
            () -> ContextTags.declared(Optional.of("site"), List.of("x".repeat(257))));
    assertTrue(
        longValue.getMessage().startsWith("arbiter.metrics.context-values"),
        longValue.getMessage());
  }
}
