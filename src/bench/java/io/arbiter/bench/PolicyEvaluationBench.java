package io.arbiter.bench;

import io.arbiter.policy.CompiledPolicy;
import io.arbiter.policy.DefaultRoute;
import io.arbiter.policy.Evaluation;
import io.arbiter.policy.Facts;
import io.arbiter.policy.PolicyCompiler;
import io.arbiter.policy.PolicyParser;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionRuleResult;
import org.camunda.bpm.dmn.engine.DmnDecisionTableResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Policy evaluation on one thread, Arbiter beside Camunda DMN 7.22 and a hand-written Java chain,
 * all on the same 10-rule, 5-input table ({@link PolicyTable}, first match) and the same 1,024
 * random requests, taken in turn. One operation is one evaluation of the whole table. Each engine's
 * answer for every request is checked against the Java chain before it is measured.
 *
 * <pre>flock /tmp/mvn.lock mvn -B -q -Pbench -DskipTests test-compile exec:exec@jmh</pre>
 *
 * (docs/performance.md, "Policy evaluation").
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PolicyEvaluationBench {

  static final int REQUESTS = 1024; // a power of two: the cursor wraps with a mask
  static final long SEED = 42;

  /** The requests, and the cursor that walks through them. */
  @State(Scope.Thread)
  public static class Requests {
    final PolicyTable.Inputs inputs = new PolicyTable.Inputs(REQUESTS, SEED);
    private int next;

    int next() {
      return next++ & (REQUESTS - 1);
    }
  }

  /** Arbiter: the YAML policy parsed and compiled as in production, requests as intake makes. */
  @State(Scope.Thread)
  public static class Arbiter {
    CompiledPolicy policy;
    Facts[] facts;

    @Setup(Level.Trial)
    public void setUp(Requests requests) throws Exception {
      policy =
          PolicyCompiler.compile(PolicyParser.parse("bench-credit.yaml", PolicyTable.policyYaml()));
      PolicyTable.Inputs in = requests.inputs;
      facts = new Facts[in.size];
      for (int i = 0; i < in.size; i++) {
        Map<String, Object> input = new HashMap<>();
        input.put("amount", in.amount[i]);
        input.put("income", in.income[i]);
        input.put("age", BigDecimal.valueOf(in.age[i]));
        input.put("region", in.region[i]);
        input.put("existingCustomer", in.existing[i]);
        facts[i] =
            new Facts("bench-credit", "1", input, "approve", 0.8, 0.9, Map.of("channel", "web"));
      }
      for (int i = 0; i < in.size; i++) {
        Evaluation e = policy.evaluate(facts[i]);
        check(in, i, e.ruleId().orElseThrow(), "Arbiter");
        int expected = in.expected(i);
        int tested = expected < 0 ? PolicyTable.RULES.size() : expected + 1;
        if (e.trace().size() != tested) {
          throw new IllegalStateException("trace of request " + i + ": " + e.trace());
        }
      }
      System.out.println("\n" + in.describe());
    }
  }

  /** Camunda DMN with its legacy FEEL engine (JUEL input expressions, Java FEEL unary tests). */
  @State(Scope.Thread)
  public static class CamundaLegacyFeel extends Camunda {
    @Setup(Level.Trial)
    public void setUp(Requests requests) {
      setUp(requests, true);
    }
  }

  /** Camunda DMN with its default FEEL engine (the Scala FEEL engine, feel-engine 1.17). */
  @State(Scope.Thread)
  public static class CamundaDefaultFeel extends Camunda {
    @Setup(Level.Trial)
    public void setUp(Requests requests) {
      setUp(requests, false);
    }
  }

  abstract static class Camunda {
    DmnEngine engine;
    DmnDecision decision;
    Map<String, Object>[] variables;

    @SuppressWarnings("unchecked")
    void setUp(Requests requests, boolean legacyFeel) {
      DefaultDmnEngineConfiguration configuration =
          (DefaultDmnEngineConfiguration)
              DmnEngineConfiguration.createDefaultDmnEngineConfiguration();
      engine = configuration.enableFeelLegacyBehavior(legacyFeel).buildEngine();
      decision =
          engine.parseDecision(
              "policy",
              new ByteArrayInputStream(PolicyTable.dmnXml().getBytes(StandardCharsets.UTF_8)));
      PolicyTable.Inputs in = requests.inputs;
      variables = new Map[in.size];
      for (int i = 0; i < in.size; i++) {
        Map<String, Object> v = new HashMap<>();
        v.put("amount", in.amountValue[i]);
        v.put("income", in.incomeValue[i]);
        v.put("age", (int) in.age[i]);
        v.put("region", in.region[i]);
        v.put("existingCustomer", in.existing[i]);
        variables[i] = v;
      }
      String engineName = legacyFeel ? "Camunda legacy FEEL" : "Camunda default FEEL";
      for (int i = 0; i < in.size; i++) {
        check(in, i, ruleId(engine.evaluateDecisionTable(decision, variables[i])), engineName);
      }
    }

    static String ruleId(DmnDecisionTableResult result) {
      DmnDecisionRuleResult first = result.getFirstResult();
      return first == null ? DefaultRoute.ID : first.getEntry("rule");
    }
  }

  static void check(PolicyTable.Inputs in, int i, String ruleId, String engine) {
    int expected = in.expected(i);
    String want = expected < 0 ? DefaultRoute.ID : PolicyTable.RULES.get(expected).id();
    if (!want.equals(ruleId)) {
      throw new IllegalStateException(
          engine + " gave " + ruleId + " for request " + i + ", the Java chain " + want);
    }
  }

  @Benchmark
  public Evaluation arbiterCompiledPolicy(Requests requests, Arbiter arbiter) {
    return arbiter.policy.evaluate(arbiter.facts[requests.next()]);
  }

  @Benchmark
  public DmnDecisionTableResult camundaLegacyFeel(Requests requests, CamundaLegacyFeel camunda) {
    return camunda.engine.evaluateDecisionTable(
        camunda.decision, camunda.variables[requests.next()]);
  }

  /** Slow (over 100 times the legacy engine's cost per evaluation): one short fork. */
  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public DmnDecisionTableResult camundaDefaultFeel(Requests requests, CamundaDefaultFeel camunda) {
    return camunda.engine.evaluateDecisionTable(
        camunda.decision, camunda.variables[requests.next()]);
  }

  /** The hand-written chain on values already in Java form (as Camunda's): the floor. */
  @Benchmark
  public int javaIfChain(Requests requests) {
    int i = requests.next();
    PolicyTable.Inputs in = requests.inputs;
    return PolicyTable.firstMatch(
        in.amountValue[i], in.incomeValue[i], in.age[i], in.region[i], in.existing[i]);
  }
}
