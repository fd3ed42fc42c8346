package io.arbiter.decision;

import io.arbiter.event.Jsonp;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One model's decisions as a table, a row per decision: what it was, where the policy sent it and
 * by which rule, how humans settled it, and the outcome recorded for it (its latest revision).
 * Written as CSV (RFC 4180, with a header row) or JSON Lines, row by row as the index hands them
 * over, so a window of any size is streamed rather than held. Reads only the rows it is given.
 */
public final class DecisionTable {

  /** The columns, in order; a JSON Lines row has the same names, and leaves out empty cells. */
  public static final List<String> COLUMNS =
      List.of(
          "decision",
          "submittedAt",
          "model",
          "modelVersion",
          "tenant",
          "policy",
          "policyVersion",
          "route",
          "ruleKind",
          "rule",
          "status",
          "reviewOutcome",
          "reviewBasis",
          "reviewOverridesModel",
          "settledAt",
          "outcome",
          "outcomeRevision",
          "outcomeObservedAt");

  private static final List<Function<DecisionSummary, Optional<Object>>> CELLS =
      List.of(
          d -> Optional.of(d.id().value()),
          d -> Optional.of(d.submittedAt()),
          d -> Optional.of(d.model().name()),
          d -> Optional.of(d.model().version()),
          d -> d.tenant().map(Object.class::cast),
          d -> d.policy().map(PolicyRef::id),
          d -> d.policy().map(PolicyRef::version),
          d -> Optional.of(d.route().wireName()),
          d -> Optional.of(d.ruleKind().wireName()),
          d -> d.ruleId().map(Object.class::cast),
          d -> Optional.of(d.status().wireName()),
          d -> d.resolution().map(r -> r.outcome().wireName()),
          d -> d.resolution().map(Resolution::basis),
          d -> d.resolution().map(Resolution::overridesRecommendation),
          d -> d.resolution().map(Resolution::at),
          d -> d.truth().map(t -> t.correct().wireName()),
          d -> d.truth().map(GroundTruth::revision),
          d -> d.truth().map(GroundTruth::observedAt));

  /** How rows are written. */
  public enum Format {
    CSV("csv", "text/csv"),
    JSON_LINES("jsonl", "application/jsonl");

    public final String wireName;
    public final String mediaType;

    Format(String wireName, String mediaType) {
      this.wireName = wireName;
      this.mediaType = mediaType;
    }

    public static Optional<Format> fromWireName(String name) {
      for (Format format : values()) {
        if (format.wireName.equals(name)) {
          return Optional.of(format);
        }
      }
      return Optional.empty();
    }
  }

  private final Format format;
  private final Writer out;

  private DecisionTable(Format format, OutputStream out) {
    this.format = format;
    this.out = new OutputStreamWriter(out, StandardCharsets.UTF_8);
  }

  /**
   * Writes the rows {@code rows} hands over, one per decision, then flushes.
   *
   * @param rows called once with the sink that writes each row
   */
  public static void write(
      Format format,
      OutputStream out,
      java.util.function.Consumer<java.util.function.Consumer<DecisionSummary>> rows)
      throws IOException {
    DecisionTable table = new DecisionTable(format, out);
    try {
      if (format == Format.CSV) {
        table.out.write(String.join(",", COLUMNS) + "\r\n");
      }
      rows.accept(table::row);
      table.out.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void row(DecisionSummary decision) {
    try {
      if (format == Format.CSV) {
        List<String> cells = new ArrayList<>(COLUMNS.size());
        for (var cell : CELLS) {
          cells.add(cell.apply(decision).map(v -> csv(v.toString())).orElse(""));
        }
        out.write(String.join(",", cells) + "\r\n");
      } else {
        JsonObjectBuilder row = Jsonp.PROVIDER.createObjectBuilder();
        for (int i = 0; i < COLUMNS.size(); i++) {
          String column = COLUMNS.get(i);
          CELLS.get(i).apply(decision).ifPresent(v -> add(row, column, v));
        }
        JsonGenerator generator = Jsonp.PROVIDER.createGenerator(out);
        generator.write(row.build());
        generator.flush();
        out.write("\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void add(JsonObjectBuilder row, String column, Object value) {
    if (value instanceof Boolean b) {
      row.add(column, b);
    } else if (value instanceof Integer n) {
      row.add(column, n);
    } else {
      row.add(column, value.toString());
    }
  }

  /** RFC 4180: a cell holding a comma, a quote or a line break is quoted, quotes doubled. */
  static String csv(String value) {
    return value.contains(",")
            || value.contains("\"")
            || value.contains("\n")
            || value.contains("\r")
        ? "\"" + value.replace("\"", "\"\"") + "\""
        : value;
  }
}
