package io.arbiter.web;

import io.arbiter.security.Roles;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The REST application: decisions, provenance, SPARQL and linked data, all at the root. */
@ApplicationPath("/")
@DeclareRoles({
  Roles.INTEGRATOR,
  Roles.REVIEWER,
  Roles.LEAD_REVIEWER,
  Roles.AUDITOR,
  Roles.POLICY_AUTHOR,
  Roles.POLICY_APPROVER,
  Roles.DATA_STEWARD,
  Roles.ADMIN
})
@OpenAPIDefinition(
    info =
        @Info(
            title = "Arbiter",
            version = "0.1.0",
            description =
                "Human-in-the-loop governance of production AI decisions. Every decision is "
                    + "routed by a versioned policy and recorded as W3C PROV-O. Errors are RFC 9457 "
                    + "application/problem+json; their type URIs are listed in docs/problems.md.",
            license =
                // identifier and url exclude each other (OpenAPI 3.1)
                @License(name = "Apache-2.0", identifier = "Apache-2.0")),
    security = @SecurityRequirement(name = "basic"),
    tags = {
      @Tag(
          name = "decisions",
          description = "Submit AI decisions, read them back, their outcome, receipt and replay"),
      @Tag(name = "reviews", description = "Human review: queues, claims, verdicts and rulings"),
      @Tag(
          name = "policies",
          description = "Versioned routing policies: lifecycle, backtest, shadow report, coverage"),
      @Tag(name = "registry", description = "Data sources, datasets, features and model versions"),
      @Tag(name = "drift", description = "Reference distributions and drift of model inputs"),
      @Tag(name = "callbacks", description = "Settlement callbacks, dead letters and event stream"),
      @Tag(name = "provenance", description = "PROV-O records: bundles, linked data, SPARQL"),
      @Tag(
          name = "ledger",
          description = "The tamper-evident log: signed checkpoints, entries, proofs"),
      @Tag(name = "lineage", description = "Lineage of data, models and decisions"),
      @Tag(name = "audit", description = "The library of parameterised audit queries"),
      @Tag(name = "ontology", description = "The ontology and its loaded extensions"),
      @Tag(
          name = "metrics",
          description = "Human-in-the-loop metrics and service-level objectives"),
      @Tag(name = "operations", description = "The journal and the projection, for operators"),
      @Tag(
          name = "jobs",
          description =
              "Reports run as jobs (Prefer: respond-async): their state, progress, result and"
                  + " cancellation")
    })
@SecurityScheme(securitySchemeName = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
public class ArbiterApplication extends Application {}
