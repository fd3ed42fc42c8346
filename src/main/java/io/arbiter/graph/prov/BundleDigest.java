package io.arbiter.graph.prov;

import com.apicatalog.rdf.api.RdfConsumerException;
import com.apicatalog.rdf.api.RdfQuadConsumer;
import com.apicatalog.rdf.canon.RdfCanon;
import com.apicatalog.rdf.nquads.NQuadsAlphabet;
import com.apicatalog.rdf.nquads.NQuadsWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;

/**
 * The digest a ledger entry carries for its bundle: SHA-256 over the W3C RDFC-1.0 canonical N-Quads
 * of the bundle's quads (graph name = bundle IRI). Any edit of a triple in the store — a changed
 * value, an added or removed statement — changes it.
 *
 * <p>Digest the graph as the store returns it ({@link io.arbiter.graph.store.ProvStore#asStored}):
 * a store may respell literals (TDB2 keeps numbers by value), and the verifier can only read what
 * is stored.
 */
public final class BundleDigest {

  private BundleDigest() {}

  public static String sha256(String bundleIri, Graph triples) {
    return sha256(bundleIri, () -> triples.find());
  }

  /** As {@link #sha256(String, Graph)}, over triples in any order (a repeated one counts once). */
  public static String sha256(String bundleIri, Iterable<Triple> triples) {
    return sha256(canonicalNQuads(bundleIri, triples));
  }

  /** {@code sha256:} and the hex SHA-256 of canonical N-Quads bytes. */
  public static String sha256(byte[] nquads) {
    return "sha256:" + HexFormat.of().formatHex(sha256().digest(nquads));
  }

  /**
   * The bundle as RDFC-1.0 canonical N-Quads, UTF-8: its distinct lines (graph name = bundle IRI)
   * sorted in Unicode code point order, as the specification says. Sorting the lines' UTF-8 bytes
   * as unsigned numbers is exactly that order; Java's {@code String.compareTo} is not (it compares
   * UTF-16 units, which puts U+E000–U+FFFF after the surrogate pairs of U+10000 and above).
   */
  public static byte[] canonicalNQuads(String bundleIri, Iterable<Triple> triples) {
    List<byte[]> lines = new ArrayList<>();
    for (String line : lines(bundleIri, triples)) {
      lines.add(line.getBytes(StandardCharsets.UTF_8));
    }
    lines.sort(Arrays::compareUnsigned);
    return joined(lines);
  }

  /**
   * The same lines sorted as Arbiter sorted them before December 2026, by UTF-16 units. Bundles
   * digested then are read back in this order when their digest says so (they differ from the
   * canonical order only when a line holds characters from U+E000 on).
   */
  public static byte[] utf16OrderedNQuads(String bundleIri, Iterable<Triple> triples) {
    List<String> lines = lines(bundleIri, triples);
    Collections.sort(lines);
    List<byte[]> bytes = new ArrayList<>(lines.size());
    lines.forEach(line -> bytes.add(line.getBytes(StandardCharsets.UTF_8)));
    return joined(bytes);
  }

  /**
   * RDFC-1.0 by titanium's general algorithm (blank node relabelling), lines in code point order:
   * what {@link #canonicalNQuads} must equal. Package-private so that a test holds the fast path to
   * it.
   */
  static byte[] rdfcNQuads(String bundleIri, Iterable<Triple> triples) {
    List<byte[]> lines = new ArrayList<>();
    for (String line : canonicalised(bundleIri, triples)) {
      lines.add(line.getBytes(StandardCharsets.UTF_8));
    }
    lines.sort(Arrays::compareUnsigned);
    return joined(lines);
  }

  /** The distinct N-Quads lines of the bundle, each ending in a newline, in no set order. */
  private static List<String> lines(String bundleIri, Iterable<Triple> triples) {
    // Without blank nodes RDFC-1.0 relabels nothing: the canonical form is the distinct N-Quads
    // lines in order. They are spelled as titanium's NQuadsWriter spells them, each term once per
    // bundle.
    if (RdfQuadConsumer.isBlank(bundleIri)) {
      return canonicalised(bundleIri, triples);
    }
    Map<String, String> spelled = new HashMap<>();
    String graph = " " + NQuadsWriter.resourceOrBlank(bundleIri) + " .\n";
    java.util.Set<String> lines = new java.util.LinkedHashSet<>();
    for (Triple t : triples) {
      String subject = term(t.getSubject());
      Node o = t.getObject();
      String object = o.isLiteral() ? null : term(o);
      if (RdfQuadConsumer.isBlank(subject) || (object != null && RdfQuadConsumer.isBlank(object))) {
        return canonicalised(bundleIri, triples);
      }
      lines.add(
          spelled.computeIfAbsent(subject, NQuadsWriter::resourceOrBlank)
              + ' '
              + spelled.computeIfAbsent(term(t.getPredicate()), NQuadsWriter::resourceOrBlank)
              + ' '
              + (object == null
                  ? literal(o, spelled)
                  : spelled.computeIfAbsent(object, NQuadsWriter::resourceOrBlank))
              + graph);
    }
    return new ArrayList<>(lines);
  }

  private static byte[] joined(List<byte[]> lines) {
    int size = 0;
    for (byte[] line : lines) {
      size += line.length;
    }
    byte[] all = new byte[size];
    int at = 0;
    for (byte[] line : lines) {
      System.arraycopy(line, 0, all, at, line.length);
      at += line.length;
    }
    return all;
  }

  /** A literal as NQuadsWriter writes it (its own static literal() returns an empty string). */
  private static String literal(Node literal, Map<String, String> spelled) {
    String quoted = '"' + NQuadsAlphabet.escape(literal.getLiteralLexicalForm()) + '"';
    String language = literal.getLiteralLanguage();
    if (!language.isEmpty()) {
      return quoted + '@' + language;
    }
    String datatype = literal.getLiteralDatatypeURI();
    return NQuadsAlphabet.XSD_STRING.equals(datatype)
        ? quoted
        : quoted + "^^" + spelled.computeIfAbsent(datatype, NQuadsWriter::resource);
  }

  /**
   * The general case: RDFC-1.0 with blank node relabelling, whose lines the callers sort. Its
   * relabelling sorts only hex hashes, where UTF-16 and code point order agree.
   */
  static List<String> canonicalised(String bundleIri, Iterable<Triple> triples) {
    try {
      RdfCanon canon = RdfCanon.create("SHA-256");
      for (Triple t : triples) {
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
      List<String> lines = new ArrayList<>();
      for (String line : nquads.toString().split("\n")) {
        if (!line.isEmpty()) {
          lines.add(line + "\n");
        }
      }
      return lines;
    } catch (RdfConsumerException e) {
      throw new IllegalStateException("cannot canonicalise bundle " + bundleIri, e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static String term(Node node) {
    return node.isBlank() ? "_:" + node.getBlankNodeLabel() : node.getURI();
  }
}
