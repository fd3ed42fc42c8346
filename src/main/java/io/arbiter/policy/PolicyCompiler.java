package io.arbiter.policy;

import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.arbiter.policy.PolicyDocumentException.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Type-checks and compiles every condition of a policy document once, against the variables the
 * policy declares. A condition that does not type-check to {@code bool} is rejected with its rule,
 * position and the line and column in the expression. Conditions within CEL's typed core are then
 * compiled to plain Java ({@link DirectConditions}); the others run on CEL's interpreter.
 *
 * <p>Variables visible to conditions: {@code input.<name>} (each declared input, typed), {@code
 * output.label}, {@code output.score}, {@code output.confidence}, {@code model.name}, {@code
 * model.version}, {@code context} (a map of free-form values), and the model version's drift as
 * last assessed ({@link DriftFacts}): {@code drift.alarm}, {@code drift.psi} and {@code drift.ks}
 * (maps from input name, or {@code output.score}, to the statistic; an input without enough recent
 * samples has no entry, and reading it is an evaluation error, so fails safe).
 */
public final class PolicyCompiler {

  static final String INPUT_PREFIX = "input.";
  static final String OUTPUT_LABEL = "output.label";
  static final String OUTPUT_SCORE = "output.score";
  static final String OUTPUT_CONFIDENCE = "output.confidence";
  static final String MODEL_NAME = "model.name";
  static final String MODEL_VERSION = "model.version";
  static final String CONTEXT = "context";
  static final String DRIFT_ALARM = "drift.alarm";
  static final String DRIFT_PSI = "drift.psi";
  static final String DRIFT_KS = "drift.ks";

  // 1 > 0.5 is true in policy authors' eyes; without this CEL refuses int/double comparisons.
  // The iteration budget counts every comprehension of one evaluation together.
  private static final CelOptions OPTIONS =
      CelOptions.current()
          .enableHeterogeneousNumericComparisons(true)
          .comprehensionMaxIterations(ConditionLimits.MAX_ITERATIONS)
          .build();

  /** How long one condition may run before it fails safe, unless configured otherwise. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(100);

  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

  private PolicyCompiler() {}

  public static CompiledPolicy compile(PolicyDocument document) throws PolicyDocumentException {
    return compile(document, DEFAULT_DEADLINE, false);
  }

  /**
   * Outcomes a new version may not declare: verdicts are told from the model's recommendation
   * ignoring case ({@code Outcome.goesAgainst}, the audit queries), so two outcomes differing in
   * case only, or {@code Review} beside the route to humans, could not be told apart there. Checked
   * for new versions only: a version recorded before this rule must read as it did.
   */
  static List<Problem> caseClashes(OutcomeVocabulary vocabulary) {
    List<Problem> problems = new ArrayList<>();
    List<String> outcomes = vocabulary.outcomes();
    for (int i = 0; i < outcomes.size(); i++) {
      String outcome = outcomes.get(i);
      String at = "vocabulary.outcomes[" + i + "]";
      if (OutcomeVocabulary.REVIEW.equalsIgnoreCase(outcome)) {
        problems.add(new Problem(at, "review is the route to humans, not an outcome"));
      } else if (outcomes.subList(0, i).stream().anyMatch(outcome::equalsIgnoreCase)) {
        problems.add(new Problem(at, "'" + outcome + "' is listed twice (case is not told apart)"));
      }
    }
    return problems;
  }

  /**
   * @param deadline how long one interpreted condition may run before it fails safe
   * @param newVersion whether the document is a new version, whose conditions must also keep within
   *     {@link ConditionLimits}; versions recorded earlier are compiled as they were
   */
  public static CompiledPolicy compile(
      PolicyDocument document, Duration deadline, boolean newVersion)
      throws PolicyDocumentException {
    return compile(document, true, deadline, newVersion);
  }

  /**
   * @param direct whether conditions in CEL's typed core run as plain Java; false runs every
   *     condition on CEL's interpreter, which the differential test uses as the reference
   */
  static CompiledPolicy compile(PolicyDocument document, boolean direct)
      throws PolicyDocumentException {
    return compile(document, direct, DEFAULT_DEADLINE, false);
  }

  private static CompiledPolicy compile(
      PolicyDocument document, boolean direct, Duration deadline, boolean newVersion)
      throws PolicyDocumentException {
    CelCompiler compiler = compilerFor(document.inputs());
    CelIssues issues = new CelIssues(variables(document.inputs()));
    FactValues.Inputs inputs = new FactValues.Inputs(document.inputs());
    List<Problem> problems = new ArrayList<>();
    List<CompiledPolicy.CompiledRule> compiled = new ArrayList<>();
    for (PolicyRule rule : document.allRules()) {
      String where = section(rule) + "[" + rule.position() + "] '" + rule.id() + "'.condition";
      try {
        var ast = compiler.compile(rule.condition()).getAst();
        if (newVersion) {
          List<String> tooCostly = ConditionLimits.check(ast);
          tooCostly.forEach(message -> problems.add(new Problem(where, message)));
          if (!tooCostly.isEmpty()) {
            continue;
          }
        }
        // The declared inputs the condition reads: only these can be absent from a request.
        Set<String> variables = new TreeSet<>();
        for (CelReference reference : ast.getReferenceMap().values()) {
          String name = reference.name();
          if (name.startsWith(INPUT_PREFIX)
              && document.inputs().containsKey(name.substring(INPUT_PREFIX.length()))) {
            variables.add(name);
          }
        }
        // Planned by CEL in every case, so that what CEL refuses is refused either way; the typed
        // core then runs as plain Java, anything else through CEL's interpreter.
        CelRuntime.Program program = RUNTIME.createProgram(ast);
        Condition condition =
            (direct ? DirectConditions.compile(ast, inputs) : Optional.<Condition>empty())
                .orElse(Condition.interpreted(program, deadline.toNanos()));
        compiled.add(new CompiledPolicy.CompiledRule(rule, condition, variables));
      } catch (CelValidationException e) {
        for (CelIssue issue : e.getErrors()) {
          problems.add(new Problem(where, issues.describe(issue, rule.condition())));
        }
      } catch (CelEvaluationException e) {
        problems.add(new Problem(where, "cannot be planned for evaluation: " + e.getMessage()));
      }
    }
    if (newVersion) {
      problems.addAll(caseClashes(document.vocabulary()));
    }
    if (!problems.isEmpty()) {
      throw new PolicyDocumentException(document.id() + " version " + document.version(), problems);
    }
    return new CompiledPolicy(document, compiled);
  }

  /** The variables every condition sees, besides the declared inputs. */
  private static final Map<String, CelType> FIXED_VARIABLES =
      Map.of(
          OUTPUT_LABEL, SimpleType.STRING,
          OUTPUT_SCORE, SimpleType.DOUBLE,
          OUTPUT_CONFIDENCE, SimpleType.DOUBLE,
          MODEL_NAME, SimpleType.STRING,
          MODEL_VERSION, SimpleType.STRING,
          CONTEXT, MapType.create(SimpleType.STRING, SimpleType.DYN),
          DRIFT_ALARM, SimpleType.BOOL,
          DRIFT_PSI, MapType.create(SimpleType.STRING, SimpleType.DOUBLE),
          DRIFT_KS, MapType.create(SimpleType.STRING, SimpleType.DOUBLE));

  private static CelCompiler compilerFor(Map<String, InputType> inputs) {
    CelCompilerBuilder builder =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setResultType(SimpleType.BOOL);
    FIXED_VARIABLES.forEach(builder::addVar);
    inputs.forEach((name, type) -> builder.addVar(INPUT_PREFIX + name, celType(type)));
    return builder.build();
  }

  /** The dotted names of every variable {@link #compilerFor} declares. */
  private static Set<String> variables(Map<String, InputType> inputs) {
    Set<String> names = new TreeSet<>(FIXED_VARIABLES.keySet());
    inputs.keySet().forEach(name -> names.add(INPUT_PREFIX + name));
    return names;
  }

  private static CelType celType(InputType type) {
    return switch (type) {
      case NUMBER -> SimpleType.DOUBLE;
      case INTEGER -> SimpleType.INT;
      case STRING -> SimpleType.STRING;
      case BOOLEAN -> SimpleType.BOOL;
    };
  }

  private static String section(PolicyRule rule) {
    return rule.kind() == RuleKind.GUARDRAIL ? "guardrails" : "rules";
  }
}
