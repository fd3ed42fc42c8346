package io.arbiter.web;

import io.arbiter.event.IriScheme;
import io.arbiter.security.Roles;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * PROV-AQ (W3C Note "Provenance Access and Query", 2013) links for a resource that stands for one
 * of our entities: where its provenance is ({@code prov:has_provenance}) and where to query
 * provenance ({@code prov:has_query_service}), both anchored at the entity's IRI — the JSON view a
 * client reads is not the entity itself, so without the anchor the link would claim provenance of
 * the view.
 *
 * <p>A link is sent only to a caller whose roles let them follow it: a reviewer reading a task is
 * not pointed at {@code /id/**} or the SPARQL endpoint, which would answer 403. The roles here are
 * those the targets' resources allow ({@code @RolesAllowed} on {@code LinkedDataResource}, {@code
 * SparqlResource} and {@code ProvenanceResource}); {@code ProvenanceLinksIT} follows every link
 * sent, as every role, so the two cannot drift apart unnoticed.
 */
public final class ProvenanceLinks {

  public static final String HAS_PROVENANCE = "http://www.w3.org/ns/prov#has_provenance";
  public static final String HAS_QUERY_SERVICE = "http://www.w3.org/ns/prov#has_query_service";

  /**
   * The provenance query service, relative to the application root: the SPARQL endpoint, whose GET
   * without a query answers with its service description as PROV-AQ and SPARQL 1.1 Service
   * Description expect.
   */
  public static final String QUERY_SERVICE_PATH = "sparql";

  /** Who may read the graph itself: the SPARQL endpoint and {@code /id/**}. */
  private static final Set<String> GRAPH_READERS = Set.of(Roles.AUDITOR, Roles.ADMIN);

  /** Who may read a decision's provenance: its integrator (their own only), auditors, admins. */
  private static final Set<String> DECISION_PROVENANCE_READERS =
      Set.of(Roles.INTEGRATOR, Roles.AUDITOR, Roles.ADMIN);

  private static final Target QUERY_SERVICE = new Target(QUERY_SERVICE_PATH, GRAPH_READERS);

  private ProvenanceLinks() {}

  /**
   * Where provenance is served and who may read it there.
   *
   * @param path relative to the application root, already percent-encoded
   * @param readers the roles the resource at {@code path} allows
   */
  public record Target(String path, Set<String> readers) {
    public Target {
      readers = Set.copyOf(readers);
    }

    boolean followableBy(Predicate<String> callerHasRole) {
      return readers.stream().anyMatch(callerHasRole);
    }
  }

  /** The Linked Data resource of one of our IRIs ({@code id/...}), for auditors and admins. */
  public static Target dereference(IriScheme iris, String iri) {
    return new Target(dereferencePath(iris, iri), GRAPH_READERS);
  }

  /** A decision's whole story: its bundles and those of its review steps. */
  public static Target decisionProvenance(String decisionId) {
    return new Target(
        "api/v1/decisions/" + IriScheme.segment(decisionId) + "/provenance",
        DECISION_PROVENANCE_READERS);
  }

  /**
   * Adds the links the caller may follow to {@code response}.
   *
   * @param callerHasRole the caller's roles
   * @param entity the IRI the provenance is about (the anchor)
   * @param provenance where that provenance is served
   */
  public static Response.ResponseBuilder add(
      Response.ResponseBuilder response,
      UriInfo uri,
      Predicate<String> callerHasRole,
      String entity,
      Target provenance) {
    return add(response, uri.getBaseUri(), callerHasRole, entity, provenance);
  }

  /**
   * As {@link #add(Response.ResponseBuilder, UriInfo, Predicate, String, Target)}, from the
   * application's root URL read earlier: for a response completed off the request thread, where
   * {@link UriInfo} and the security context may no longer answer (see {@link #rolesOf}).
   */
  public static Response.ResponseBuilder add(
      Response.ResponseBuilder response,
      URI base,
      Predicate<String> callerHasRole,
      String entity,
      Target provenance) {
    if (provenance.followableBy(callerHasRole)) {
      response.header("Link", link(base.resolve(provenance.path()), HAS_PROVENANCE, entity));
    }
    if (QUERY_SERVICE.followableBy(callerHasRole)) {
      response.header("Link", link(base.resolve(QUERY_SERVICE.path()), HAS_QUERY_SERVICE, entity));
    }
    return response;
  }

  /**
   * The caller's roles that matter to these links, read now: a predicate that stays true to them
   * after the request thread has moved on.
   */
  public static Predicate<String> rolesOf(Predicate<String> isUserInRole) {
    Set<String> held = new HashSet<>();
    Set<String> relevant = new HashSet<>(GRAPH_READERS);
    relevant.addAll(DECISION_PROVENANCE_READERS);
    for (String role : relevant) {
      if (isUserInRole.test(role)) {
        held.add(role);
      }
    }
    return Set.copyOf(held)::contains;
  }

  /** One Link header value (RFC 8288): {@code <target>; rel="..."; anchor="..."}. */
  public static String link(URI target, String rel, String anchor) {
    return "<" + target + ">; rel=\"" + rel + "\"; anchor=\"" + quoted(anchor) + "\"";
  }

  /**
   * The path under the application root that dereferences one of our IRIs ({@code id/...}): on this
   * server, whatever host the configured base IRI names.
   *
   * @throws IllegalArgumentException if {@code iri} is not under {@code iris.base()}
   */
  public static String dereferencePath(IriScheme iris, String iri) {
    if (!iri.startsWith(iris.base())) {
      throw new IllegalArgumentException("not one of our IRIs: " + iri);
    }
    return "id/" + iri.substring(iris.base().length());
  }

  /** Our IRIs hold no quote or backslash (segments are percent-encoded); escape them anyway. */
  private static String quoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
