package io.arbiter.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import io.arbiter.registry.ModelVersionRef;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionTableTest {

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  private static DecisionSummary settledAndKnown() {
    return new DecisionSummary(
        new DecisionId("01a21225-d900-7000-8000-000000000001"),
        "case",
        new ModelVersionRef("m", "1"),
        Optional.empty(),
        Route.REVIEW,
        RuleKind.RULE,
        Optional.of("large,amount"),
        "approve",
        0.9,
        Optional.of(new PolicyRef("p", "2")),
        "integrator",
        AT,
        Optional.empty(),
        1,
        "b",
        Optional.empty(),
        Optional.of(new Resolution(Route.REJECT, "consensus", AT.plusSeconds(60), true)),
        Optional.of(
            new GroundTruth(Route.APPROVE, Optional.empty(), AT.plusSeconds(120), "i", AT)));
  }

  private static String write(DecisionTable.Format format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DecisionTable.write(format, out, row -> row.accept(settledAndKnown()));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void csv_headerThenOneRow_cellsWithACommaQuoted() throws Exception {
    assertEquals(
        String.join(",", DecisionTable.COLUMNS)
            + "\r\n"
            + "01a21225-d900-7000-8000-000000000001,2026-12-01T10:00:00Z,m,1,,p,2,review,rule,"
            + "\"large,amount\",settled,reject,consensus,true,2026-12-01T10:01:00Z,approve,1,"
            + "2026-12-01T10:02:00Z\r\n",
        write(DecisionTable.Format.CSV));
  }

  @Test
  void jsonLines_oneObjectPerLine_emptyCellsLeftOut() throws Exception {
    String text = write(DecisionTable.Format.JSON_LINES);
    assertEquals(1, text.lines().count(), text);
    var row = jakarta.json.Json.createReader(new java.io.StringReader(text)).readObject();
    assertEquals(false, row.containsKey("tenant"));
    assertEquals(true, row.getBoolean("reviewOverridesModel"));
    assertEquals(1, row.getInt("outcomeRevision"));
    assertEquals("large,amount", row.getString("rule"));
  }
}
