package io.arbiter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.arbiter.decision.api.ContextParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agreed shape (docs/architecture.md): dependency direction and who may use which technology.
 */
class ArchitectureTest {

  private static final String[] CORE = {
    "io.arbiter.event..",
    "io.arbiter.journal..",
    "io.arbiter.problem..",
    "io.arbiter.config..",
    "io.arbiter.security..",
    "io.arbiter.policy",
    "io.arbiter.registry",
    "io.arbiter.decision",
    "io.arbiter.replay",
    "io.arbiter.review",
    "io.arbiter.notify",
    "io.arbiter.monitor",
    "io.arbiter.audit"
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.arbiter");
  }

  @Test
  void core_doesNotUseJenaJaxRsOrBouncyCastle() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.jena..", "jakarta.ws.rs..", "org.bouncycastle..")
        .check(classes);
  }

  @Test
  void onlyTheGraphPackageTalksToJena() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.arbiter.graph..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.jena..")
        .check(classes);
  }

  /**
   * Replay and review render routings and decisions exactly as the decision API does (one JSON
   * shape for a route, rule, review and trace wherever it appears), so they alone may use the
   * decision API's view records. The context filter's query parameters ({@link ContextParameters})
   * are declared once for the endpoints that narrow decisions by context, so any capability's API
   * may use that class, and only it.
   */
  @Test
  void capabilities_doNotDependOnEachOthersApi() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.arbiter.decision..", "io.arbiter.replay.api..", "io.arbiter.review.api..")
        .should()
        .dependOnClassesThat(
            JavaClass.Predicates.resideInAPackage("io.arbiter.decision.api..")
                .and(
                    DescribedPredicate.not(
                        JavaClass.Predicates.equivalentTo(ContextParameters.class))))
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackages("io.arbiter.decision..", "io.arbiter..api..")
        .should()
        .dependOnClassesThat()
        .areAssignableTo(ContextParameters.class)
        .check(classes);
  }

  @Test
  void eventPackage_dependsOnNoCapability() {
    noClasses()
        .that()
        .resideInAPackage("io.arbiter.event..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.arbiter.decision..",
            "io.arbiter.policy..",
            "io.arbiter.registry",
            "io.arbiter.graph..",
            "io.arbiter.web..")
        .check(classes);
  }

  /** The journal frames and forces bytes: it knows nothing of what the events mean. */
  @Test
  void journal_dependsOnNoCapabilityNorTheGraph() {
    noClasses()
        .that()
        .resideInAPackage("io.arbiter.journal..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.arbiter.decision..",
            "io.arbiter.policy..",
            "io.arbiter.review..",
            "io.arbiter.registry..",
            "io.arbiter.graph..",
            "io.arbiter.web..")
        .check(classes);
  }

  /**
   * The graph's parts (docs/architecture.md): {@code prov} is what the bundles mean and the read
   * port its readers are given; {@code store} keeps them (the adapters, the write path, the
   * projector) on top of it; {@code verify} checks and rebuilds the store; {@code api} serves them
   * all over HTTP. Nothing below the API depends on it, and no part depends on the wiring that
   * assembles them in {@code io.arbiter.graph} itself.
   */
  @Test
  void graphProv_dependsOnNoOtherPartOfTheGraph() {
    noClasses()
        .that()
        .resideInAPackage("io.arbiter.graph.prov..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.arbiter.graph.store..", "io.arbiter.graph.api..", "io.arbiter.graph.verify..")
        .check(classes);
  }

  @Test
  void graphStore_dependsNeitherOnTheApiNorOnTheVerifier() {
    noClasses()
        .that()
        .resideInAPackage("io.arbiter.graph.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.arbiter.graph.api..", "io.arbiter.graph.verify..")
        .check(classes);
  }

  @Test
  void graphApi_isNotDependedOnByTheRestOfTheGraph() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.arbiter.graph.store..", "io.arbiter.graph.prov..", "io.arbiter.graph.verify..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.arbiter.graph.api..")
        .check(classes);
  }

  /** {@code io.arbiter.graph} holds only the CDI wiring, which depends on every part. */
  @Test
  void graphParts_doNotDependOnTheGraphWiring() {
    noClasses()
        .that()
        .resideInAPackage("io.arbiter.graph.*..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.arbiter.graph")
        .check(classes);
  }

  /** Only the graph's API speaks HTTP; the store and the mapping know nothing of it. */
  @Test
  void graphBelowTheApi_doesNotUseJaxRs() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.arbiter.graph.store..", "io.arbiter.graph.prov..", "io.arbiter.graph.verify..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("jakarta.ws.rs..")
        .check(classes);
  }

  /**
   * The store keeps and projects bundles without knowing what they say: the mapping and the readers
   * that do are {@code graph.prov}'s.
   */
  @Test
  void graphStore_dependsOnNoCapability() {
    noClasses()
        .that()
        .resideInAPackage("io.arbiter.graph.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.arbiter.decision..",
            "io.arbiter.policy..",
            "io.arbiter.review..",
            "io.arbiter.registry..",
            "io.arbiter.drift..",
            "io.arbiter.slo..",
            "io.arbiter.replay..",
            "io.arbiter.notify..",
            "io.arbiter.monitor..",
            "io.arbiter.audit..",
            "io.arbiter.web..")
        .check(classes);
  }

  @Test
  void graphParts_areFreeOfCycles() {
    slices().matching("io.arbiter.graph.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void packages_areFreeOfCycles() {
    slices().matching("io.arbiter.(*)..").should().beFreeOfCycles().check(classes);
  }
}
