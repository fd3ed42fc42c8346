package io.arbiter.testing;

import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionRequest;
import io.arbiter.decision.DecisionRequestParser;
import io.arbiter.policy.CompiledPolicy;
import io.arbiter.policy.PolicyCompiler;
import io.arbiter.policy.PolicyDocumentException;
import io.arbiter.policy.PolicyParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Shared test data: the demo policy and decision requests built from JSON text. */
public final class Fixtures {

  private Fixtures() {}

  public static String resource(String name) {
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static CompiledPolicy demoPolicy() {
    try {
      return PolicyCompiler.compile(
          PolicyParser.parse("demo", resource("demo/policies/demo-credit.yaml")));
    } catch (PolicyDocumentException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /**
   * The demo policy as another version: the large-amount rule sends loans above {@code threshold}
   * (50000 in version 1) to review.
   */
  public static String demoPolicyText(String version, long threshold) {
    String text = resource("demo/policies/demo-credit.yaml");
    String changed =
        text.replace("\nversion: 1\n", "\nversion: " + version + "\n")
            .replace("input.amount > 50000", "input.amount > " + threshold);
    if (!changed.contains("version: " + version) || !changed.contains("> " + threshold)) {
      throw new AssertionError("the demo policy no longer has the shape this fixture edits");
    }
    return changed;
  }

  /** A demo-credit request body with the given amount, income, risk score, label and confidence. */
  public static String requestJson(
      double amount, double income, double risk, String label, double confidence) {
    return """
        {"model": {"name": "demo-credit", "version": "1"},
         "subject": "case-%s",
         "input": {"amount": %s, "income": %s, "riskScore": {"value": %s, "source": "bureau"}},
         "output": {"label": "%s", "score": 0.7, "confidence": %s, "explanation": {"income": 0.4}},
         "context": {"region": "EU", "channel": {"kind": "web", "tags": ["a", "b"]}}}
        """
        .formatted((long) amount, amount, income, risk, label, confidence);
  }

  public static DecisionRequest request(
      double amount, double income, double risk, String label, double confidence) {
    return DecisionRequestParser.parse(
        requestJson(amount, income, risk, label, confidence).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Submits as alice the {@link #requestJson} request (income 200000, the model saying approve)
   * with the given amount, risk score and confidence, made by demo-credit version {@code version};
   * returns the recorded decision.
   */
  public static Decision submitForVersion(
      TestApp app, String version, double amount, double risk, double confidence) {
    String body =
        requestJson(amount, 200000, risk, "approve", confidence)
            .replace("\"version\": \"1\"", "\"version\": \"" + version + "\"");
    return app.decisions
        .submit(
            DecisionRequestParser.parse(body.getBytes(StandardCharsets.UTF_8)),
            "alice",
            Optional.empty())
        .recorded()
        .decision();
  }

  /**
   * Puts {@code profile} in force as the API does: uploaded by {@code author}, approved by another
   * person ({@code "approver"}, or {@code "second-approver"} when the author is called that).
   */
  public static io.arbiter.drift.DriftRecords.StoredReference referenceInForce(
      io.arbiter.drift.DriftMonitor drift,
      io.arbiter.drift.ReferenceProfile profile,
      String author) {
    String approver = author.equals("approver") ? "second-approver" : "approver";
    return drift.approve(profile.model(), drift.propose(profile, author).iri(), approver);
  }
}
