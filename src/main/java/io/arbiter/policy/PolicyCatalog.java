package io.arbiter.policy;

import io.arbiter.config.SeedFile;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The policies in force: loaded, type-checked and compiled at start-up, each version recorded once
 * in the graph. A policy version is immutable: a file whose content differs from the recorded
 * version of the same id and version stops start-up.
 *
 * <p>Versions, approval and activation through the API come later; this catalogue keeps the engine
 * separate from where documents come from so that lifecycle can replace {@link #start}.
 */
public final class PolicyCatalog {

  private final PolicyRecords records;
  private final EventLog log;
  private final Clock clock;
  private final IriScheme iris;
  private volatile List<CompiledPolicy> active = List.of();

  public PolicyCatalog(PolicyRecords records, EventLog log, Clock clock, IriScheme iris) {
    this.records = records;
    this.log = log;
    this.clock = clock;
    this.iris = iris;
  }

  /**
   * Parses, compiles and records every seed. Throws with the file, rule and position of the first
   * bad document, which stops start-up.
   */
  public void start(List<SeedFile> seeds, String actor) throws PolicyDocumentException {
    List<CompiledPolicy> loaded = new ArrayList<>();
    for (SeedFile seed : seeds) {
      PolicyDocument document = PolicyParser.parse(seed.name(), seed.text());
      CompiledPolicy policy;
      try {
        policy = PolicyCompiler.compile(document);
      } catch (PolicyDocumentException e) {
        throw new PolicyDocumentException(seed.name(), e.problems());
      }
      checkNoOverlap(loaded, policy, seed.name());
      loaded.add(policy);
    }
    for (CompiledPolicy policy : loaded) {
      record(policy.document(), actor);
    }
    active = List.copyOf(loaded);
  }

  /** The policy governing a model, if any. */
  public Optional<CompiledPolicy> forModel(String modelName) {
    return active.stream().filter(p -> p.governs(modelName)).findFirst();
  }

  private void record(PolicyDocument document, String actor) {
    Optional<String> recorded = records.contentHash(document.id(), document.version());
    if (recorded.isPresent()) {
      if (!recorded.get().equals(document.contentHash())) {
        throw new IllegalStateException(
            "policy "
                + document.id()
                + " version "
                + document.version()
                + " was recorded with content "
                + recorded.get()
                + " but now reads "
                + document.contentHash()
                + ": policy versions are immutable, give the changed policy a new version");
      }
      return;
    }
    var event =
        new PolicyRegistered(
            document,
            actor,
            clock.instant(),
            iris.policyVersion(document.id(), document.version()));
    try {
      log.append(event).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new IllegalStateException(
          "could not record policy " + document.id() + " version " + document.version(),
          e.getCause());
    }
  }

  private static void checkNoOverlap(
      List<CompiledPolicy> loaded, CompiledPolicy next, String source)
      throws PolicyDocumentException {
    for (CompiledPolicy other : loaded) {
      List<PolicyDocumentException.Problem> problems = new ArrayList<>();
      if (other.id().equals(next.id())) {
        problems.add(
            new PolicyDocumentException.Problem("id", "policy " + next.id() + " is loaded twice"));
      }
      for (String model : next.document().models()) {
        if (other.governs(model)) {
          problems.add(
              new PolicyDocumentException.Problem(
                  "scope.models",
                  "model " + model + " is already governed by policy " + other.id()));
        }
      }
      if (!problems.isEmpty()) {
        throw new PolicyDocumentException(source, problems);
      }
    }
  }
}
