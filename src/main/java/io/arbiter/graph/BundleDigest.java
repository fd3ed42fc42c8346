package io.arbiter.graph;

import com.apicatalog.rdf.api.RdfConsumerException;
import com.apicatalog.rdf.canon.RdfCanon;
import com.apicatalog.rdf.nquads.NQuadsWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;

/**
 * The digest a ledger entry carries for its bundle: SHA-256 over the W3C RDFC-1.0 canonical N-Quads
 * of the bundle's quads (graph name = bundle IRI). Any edit of a triple in the store — a changed
 * value, an added or removed statement — changes it.
 *
 * <p>Digest the graph as the store returns it ({@link ProvStore#asStored}): a store may respell
 * literals (TDB2 keeps numbers by value), and the verifier can only read what is stored.
 */
public final class BundleDigest {

  private BundleDigest() {}

  public static String sha256(String bundleIri, Graph triples) {
    try {
      RdfCanon canon = RdfCanon.create("SHA-256");
      for (Triple t : (Iterable<Triple>) () -> triples.find()) {
        Node o = t.getObject();
        if (o.isLiteral()) {
          String language = o.getLiteralLanguage();
          canon.quad(
              term(t.getSubject()),
              term(t.getPredicate()),
              o.getLiteralLexicalForm(),
              o.getLiteralDatatypeURI(),
              language.isEmpty() ? null : language,
              null,
              bundleIri);
        } else {
          canon.quad(
              term(t.getSubject()), term(t.getPredicate()), term(o), null, null, null, bundleIri);
        }
      }
      StringWriter nquads = new StringWriter();
      canon.provide(new NQuadsWriter(nquads));
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(nquads.toString().getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (RdfConsumerException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot canonicalise bundle " + bundleIri, e);
    }
  }

  private static String term(Node node) {
    return node.isBlank() ? "_:" + node.getBlankNodeLabel() : node.getURI();
  }
}
