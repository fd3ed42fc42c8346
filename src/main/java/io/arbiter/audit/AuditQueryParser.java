package io.arbiter.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an audit query's header: the comment block before the SPARQL, with {@code # Name:}, {@code
 * # Question:}, {@code # Parameters:} ({@code ?name (type) description} each, or {@code ?name
 * (type, optional) description}) and {@code # Columns:} ({@code ?name description} each).
 * Continuation lines start with {@code #} and spaces.
 */
public final class AuditQueryParser {

  private static final Pattern KEY = Pattern.compile("^#\\s?([A-Z][A-Za-z]*):\\s*(.*)$");
  private static final Pattern PARAMETER =
      Pattern.compile(
          "^\\?([A-Za-z_][A-Za-z0-9_]*)\\s+\\(([A-Za-z]+)(\\s*,\\s*optional)?\\)\\s*(.*)$");
  private static final Pattern COLUMN = Pattern.compile("^\\?([A-Za-z_][A-Za-z0-9_]*)\\b.*$");

  private AuditQueryParser() {}

  /**
   * @throws IllegalArgumentException naming the file and what is wrong with its header
   */
  public static AuditQuery parse(String fileName, String text) {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : text.lines().toList()) {
      if (!line.startsWith("#")) {
        break;
      }
      Matcher key = KEY.matcher(line);
      if (key.matches()) {
        current = new ArrayList<>();
        sections.put(key.group(1), current);
        current.add(key.group(2).strip());
      } else if (current != null) {
        current.add(line.substring(1).strip());
      }
    }
    String expected = fileName.endsWith(".rq") ? fileName.substring(0, fileName.length() - 3) : "";
    String name = single(sections, "Name", fileName);
    if (!name.equals(expected)) {
      throw new IllegalArgumentException(
          fileName + ": its Name must be its file name without .rq, not '" + name + "'");
    }
    String question = String.join(" ", sections.getOrDefault("Question", List.of())).strip();
    if (question.isEmpty()) {
      throw new IllegalArgumentException(fileName + ": the header has no Question");
    }
    List<AuditQuery.Parameter> parameters = new ArrayList<>();
    for (String line : sections.getOrDefault("Parameters", List.of())) {
      if (line.startsWith("?")) {
        Matcher m = PARAMETER.matcher(line);
        var type =
            m.matches()
                ? AuditQuery.Type.fromWireName(m.group(2))
                : java.util.Optional.<AuditQuery.Type>empty();
        if (type.isEmpty()) {
          throw new IllegalArgumentException(
              fileName
                  + ": a parameter is '?name (type) description' or '?name (type, optional)"
                  + " description' with type iri, string, dateTime,"
                  + " integer, decimal or boolean, not '"
                  + line
                  + "'");
        }
        parameters.add(
            new AuditQuery.Parameter(m.group(1), type.get(), m.group(3) != null, m.group(4)));
      } else if (!line.isEmpty() && !parameters.isEmpty()) {
        AuditQuery.Parameter last = parameters.remove(parameters.size() - 1);
        parameters.add(
            new AuditQuery.Parameter(
                last.name(), last.type(), last.optional(), last.description() + " " + line));
      }
    }
    List<String> columns = new ArrayList<>();
    for (String line : sections.getOrDefault("Columns", List.of())) {
      Matcher m = COLUMN.matcher(line);
      if (m.matches()) {
        columns.add(m.group(1));
      }
    }
    return new AuditQuery(name, question, parameters, columns, text);
  }

  private static String single(Map<String, List<String>> sections, String key, String fileName) {
    List<String> lines = sections.get(key);
    if (lines == null || lines.isEmpty() || lines.get(0).isEmpty()) {
      throw new IllegalArgumentException(fileName + ": the header has no " + key);
    }
    return lines.get(0);
  }
}
