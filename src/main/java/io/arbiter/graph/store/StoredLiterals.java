package io.arbiter.graph.store;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.tdb2.store.NodeId;
import org.apache.jena.tdb2.store.NodeIdInline;

/**
 * The spelling of literals that every store Arbiter supports returns unchanged: TDB2 keeps numbers,
 * dates, times and booleans that fit in 56 bits by value, not by spelling ({@code 0.10} comes back
 * as {@code 0.1}), so a literal is written as TDB2 would give it back. A store that keeps literals
 * as written (Fuseki in memory) then returns the same spelling, and so does a TDB2 behind Fuseki:
 * the mapping is idempotent.
 */
public final class StoredLiterals {

  private StoredLiterals() {}

  /** A copy of {@code graph} with every literal in the spelling described above. */
  public static Graph canonical(Graph graph) {
    Graph stored = GraphFactory.createDefaultGraph();
    graph
        .find()
        .forEachRemaining(
            t ->
                stored.add(
                    Triple.create(t.getSubject(), t.getPredicate(), canonical(t.getObject()))));
    return stored;
  }

  static Node canonical(Node node) {
    if (!node.isLiteral()) {
      return node;
    }
    NodeId inline = NodeIdInline.inline(node);
    return inline == null ? node : NodeIdInline.extract(inline);
  }
}
