package io.arbiter.web;

import io.arbiter.event.IriScheme;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/**
 * PROV-AQ (W3C Note "Provenance Access and Query", 2013) links for a resource that stands for one
 * of our entities: where its provenance is ({@code prov:has_provenance}) and where to query
 * provenance ({@code prov:has_query_service}), both anchored at the entity's IRI — the JSON view a
 * client reads is not the entity itself, so without the anchor the link would claim provenance of
 * the view.
 *
 * <p>Following the links needs the roles the target asks (the SPARQL endpoint and {@code /id/**}
 * are for auditors and admins); the links themselves reveal nothing a caller of the resource cannot
 * already derive.
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

  private ProvenanceLinks() {}

  /**
   * Adds both links to {@code response}.
   *
   * @param entity the IRI the provenance is about (the anchor)
   * @param provenancePath where that provenance is served, relative to the application root and
   *     already percent-encoded (e.g. {@link #dereferencePath})
   */
  public static Response.ResponseBuilder add(
      Response.ResponseBuilder response, UriInfo uri, String entity, String provenancePath) {
    return add(response, uri.getBaseUri(), entity, provenancePath);
  }

  /**
   * As {@link #add(Response.ResponseBuilder, UriInfo, String, String)}, from the application's root
   * URL read earlier: for a response completed off the request thread, where {@link UriInfo} may no
   * longer answer.
   */
  public static Response.ResponseBuilder add(
      Response.ResponseBuilder response, URI base, String entity, String provenancePath) {
    return response
        .header("Link", link(base.resolve(provenancePath), HAS_PROVENANCE, entity))
        .header("Link", link(base.resolve(QUERY_SERVICE_PATH), HAS_QUERY_SERVICE, entity));
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
