package io.arbiter.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.StringJoiner;

/**
 * The one decision table every engine in {@link PolicyEvaluationBench} evaluates: 10 rules over 5
 * inputs, first match wins, otherwise human review. Written once, as DMN unary tests, and rendered
 * from here to an Arbiter policy document (CEL conditions) and to a DMN decision table; the
 * hand-written Java chain ({@link #firstMatch}) is the baseline, and every engine's answers are
 * checked against it before it is measured.
 */
final class PolicyTable {

  /** An input column: its name, the Arbiter type and the DMN {@code typeRef}. */
  record Column(String name, String arbiterType, String dmnType) {}

  /** A rule: one DMN unary test per column ({@code null} for any value), all of which must hold. */
  record Rule(String id, String route, String... tests) {}

  static final List<Column> COLUMNS =
      List.of(
          new Column("amount", "number", "double"),
          new Column("income", "number", "double"),
          new Column("age", "integer", "integer"),
          new Column("region", "string", "string"),
          new Column("existingCustomer", "boolean", "boolean"));

  static final List<Rule> RULES =
      List.of(
          new Rule("large-new-customer", "review", "> 80000", null, null, null, "false"),
          new Rule("young-large", "reject", "> 20000", null, "< 21", null, null),
          new Rule("low-income", "reject", "> 5000", "< 15000", null, null, null),
          new Rule("latam-large", "review", "> 50000", null, null, "\"LATAM\"", null),
          new Rule("senior-small", "approve", "<= 10000", null, ">= 70", null, null),
          new Rule("eu-existing", "approve", "<= 50000", null, null, "\"EU\"", "true"),
          new Rule("us-high-income", "approve", null, ">= 100000", null, "\"US\"", null),
          new Rule("apac-mid", "approve", "[10000..40000]", null, "[25..60]", "\"APAC\"", null),
          new Rule("new-low-income", "review", null, "< 40000", null, null, "false"),
          new Rule("small", "approve", "< 2000", null, null, null, null));

  static final String[] REGIONS = {"EU", "US", "APAC", "LATAM", "AFR"};

  private PolicyTable() {}

  /**
   * The hand-written baseline: the index of the first matching rule, or -1 for the default.
   * Equivalent to {@link #RULES} by construction and checked against every engine.
   */
  static int firstMatch(double amount, double income, long age, String region, boolean existing) {
    if (amount > 80000 && !existing) return 0;
    if (amount > 20000 && age < 21) return 1;
    if (amount > 5000 && income < 15000) return 2;
    if (amount > 50000 && region.equals("LATAM")) return 3;
    if (amount <= 10000 && age >= 70) return 4;
    if (amount <= 50000 && region.equals("EU") && existing) return 5;
    if (income >= 100000 && region.equals("US")) return 6;
    if (amount >= 10000 && amount <= 40000 && age >= 25 && age <= 60 && region.equals("APAC")) {
      return 7;
    }
    if (income < 40000 && !existing) return 8;
    if (amount < 2000) return 9;
    return -1;
  }

  /**
   * Random requests, fixed by the seed: amounts and incomes in cents (as JSON would carry them),
   * ages in years, one of five regions, existing customer or not.
   */
  static final class Inputs {
    final int size;
    final BigDecimal[] amount;
    final BigDecimal[] income;
    final double[] amountValue;
    final double[] incomeValue;
    final long[] age;
    final String[] region;
    final boolean[] existing;

    Inputs(int size, long seed) {
      Random random = new Random(seed);
      this.size = size;
      amount = new BigDecimal[size];
      income = new BigDecimal[size];
      age = new long[size];
      region = new String[size];
      existing = new boolean[size];
      amountValue = new double[size];
      incomeValue = new double[size];
      for (int i = 0; i < size; i++) {
        amount[i] = BigDecimal.valueOf(random.nextInt(10_000_000), 2);
        income[i] = BigDecimal.valueOf(random.nextInt(20_000_000), 2);
        age[i] = 18 + random.nextInt(73);
        region[i] = REGIONS[random.nextInt(REGIONS.length)];
        existing[i] = random.nextBoolean();
        amountValue[i] = amount[i].doubleValue();
        incomeValue[i] = income[i].doubleValue();
      }
    }

    /** The baseline's answer for request {@code i}. */
    int expected(int i) {
      return firstMatch(amountValue[i], incomeValue[i], age[i], region[i], existing[i]);
    }

    /** How the requests spread over the rules, and how many conditions each tests on average. */
    String describe() {
      int[] hits = new int[RULES.size() + 1];
      long tested = 0;
      for (int i = 0; i < size; i++) {
        int rule = expected(i);
        hits[rule < 0 ? RULES.size() : rule]++;
        tested += rule < 0 ? RULES.size() : rule + 1;
      }
      StringJoiner spread = new StringJoiner(" ");
      for (int r = 0; r < hits.length; r++) {
        spread.add((r < RULES.size() ? RULES.get(r).id() : "default") + "=" + hits[r]);
      }
      return String.format(
          Locale.ROOT,
          "%d requests, %.2f conditions tested per evaluation on average; %s",
          size,
          (double) tested / size,
          spread);
    }
  }

  /** The table as an Arbiter policy document (YAML), each unary test rendered as CEL. */
  static String policyYaml() {
    StringBuilder yaml = new StringBuilder();
    yaml.append("id: bench-credit\nversion: 1\nscope: {models: [bench-credit]}\ninputs:\n");
    for (Column column : COLUMNS) {
      yaml.append("  ").append(column.name()).append(": ").append(column.arbiterType());
      yaml.append('\n');
    }
    yaml.append("rules:\n");
    for (Rule rule : RULES) {
      List<String> conditions = new ArrayList<>();
      for (int c = 0; c < COLUMNS.size(); c++) {
        if (rule.tests()[c] != null) {
          conditions.add(cel("input." + COLUMNS.get(c).name(), rule.tests()[c]));
        }
      }
      yaml.append("  - id: ").append(rule.id()).append('\n');
      yaml.append("    condition: \"").append(String.join(" && ", conditions)).append("\"\n");
      yaml.append("    route: ").append(rule.route()).append('\n');
    }
    yaml.append("default: {route: review}\n");
    return yaml.toString();
  }

  /** One DMN unary test as the CEL a policy author would write for it. */
  private static String cel(String variable, String test) {
    if (test.equals("true")) {
      return variable;
    }
    if (test.equals("false")) {
      return "!" + variable;
    }
    if (test.startsWith("\"")) {
      return variable + " == '" + test.substring(1, test.length() - 1) + "'";
    }
    if (test.startsWith("[")) {
      String[] bounds = test.substring(1, test.length() - 1).split("\\.\\.");
      return variable + " >= " + bounds[0] + " && " + variable + " <= " + bounds[1];
    }
    return variable + " " + test; // a comparison: "> 80000", "<= 10000", ...
  }

  private static String xmlText(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** The table as a DMN 1.3 decision table, hit policy FIRST. */
  static String dmnXml() {
    StringBuilder xml = new StringBuilder();
    xml.append(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="bench"
            name="bench" namespace="https://w3id.org/arbiter/bench">
          <decision id="policy" name="policy">
            <decisionTable id="table" hitPolicy="FIRST">
        """);
    for (Column column : COLUMNS) {
      xml.append(
          String.format(
              """
                    <input id="in-%1$s" label="%1$s">
                      <inputExpression id="expr-%1$s" typeRef="%2$s"><text>%1$s</text></inputExpression>
                    </input>
              """,
              column.name(), column.dmnType()));
    }
    xml.append(
        """
              <output id="out-rule" name="rule" typeRef="string"/>
              <output id="out-route" name="route" typeRef="string"/>
        """);
    for (Rule rule : RULES) {
      xml.append("      <rule id=\"").append(rule.id()).append("\">\n");
      for (String test : rule.tests()) {
        xml.append("        <inputEntry><text>")
            .append(test == null ? "" : xmlText(test))
            .append("</text></inputEntry>\n");
      }
      xml.append("        <outputEntry><text>&quot;")
          .append(rule.id())
          .append("&quot;</text></outputEntry>\n");
      xml.append("        <outputEntry><text>&quot;")
          .append(rule.route())
          .append("&quot;</text></outputEntry>\n");
      xml.append("      </rule>\n");
    }
    xml.append("    </decisionTable>\n  </decision>\n</definitions>\n");
    return xml.toString();
  }
}
