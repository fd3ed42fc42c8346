package io.arbiter.graph.store;

import io.arbiter.graph.prov.BundleFilter;
import io.arbiter.graph.prov.Vocab;
import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.jena.atlas.iterator.Iter;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.graph.impl.GraphBase;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFilteredView;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.util.iterator.ExtendedIterator;
import org.apache.jena.util.iterator.WrappedIterator;

/**
 * A read-only view of the store that shows only the bundles a {@link BundleFilter} accepts, for a
 * caller who may read some tenants' data only. Every way a query reaches quads goes through {@link
 * #find} and its kin, which drop the quads of hidden graphs: the default graph is the union of the
 * visible bundles (so plain patterns and property paths see nothing else), {@code GRAPH ?g} ranges
 * over visible bundles only, and a hidden graph named in {@code GRAPH}, {@code FROM} or {@code FROM
 * NAMED} reads as empty. The query text is never touched.
 *
 * <p>Being a {@link org.apache.jena.sparql.core.DatasetGraphWrapperView}, the view is not unwrapped
 * by the query engine: queries run on ARQ's general engine over it rather than on TDB2's own, which
 * is slower (each pattern is matched over every graph and filtered) and the price of the filter.
 *
 * <p>Each graph's verdict is taken once per view (one query): its {@code arb:eventType} and {@code
 * arb:eventSubject}, read from the graph itself in the underlying store.
 */
final class BundleView extends DatasetGraphFilteredView {

  private BundleView(DatasetGraph base, Visibility visibility) {
    super(base, quad -> visibility.test(quad.getGraph()), visibility.graphs());
  }

  /** A view of {@code base} (read within a transaction the caller holds) for {@code filter}. */
  static BundleView of(DatasetGraph base, BundleFilter filter) {
    return new BundleView(base, new Visibility(base, filter));
  }

  @Override
  public Graph getDefaultGraph() {
    return getUnionGraph();
  }

  /**
   * The union of the visible bundles, matched over the store's quads at once (the inherited union
   * reads each visible graph in turn, a find per bundle).
   */
  @Override
  public Graph getUnionGraph() {
    return new VisibleUnion();
  }

  /**
   * The distinct triples of the visible named graphs. Jena's own union graph view asks the store
   * for the union graph, whose quads no longer name the graph they came from, so the filter could
   * not tell them apart: this one matches the named graphs' quads, filtered, and drops the name.
   */
  private final class VisibleUnion extends GraphBase {
    @Override
    protected ExtendedIterator<Triple> graphBaseFind(Triple pattern) {
      Iterator<Quad> quads =
          findNG(Node.ANY, pattern.getSubject(), pattern.getPredicate(), pattern.getObject());
      return WrappedIterator.createNoRemove(Iter.distinct(Iter.map(quads, Quad::asTriple)));
    }
  }

  /** A hidden graph does not exist, as far as the view tells. */
  @Override
  public boolean containsGraph(Node graphNode) {
    Iterator<Quad> quads = find(graphNode, Node.ANY, Node.ANY, Node.ANY);
    try {
      return quads.hasNext();
    } finally {
      Iter.close(quads);
    }
  }

  /** Which graphs are visible, remembered per graph. */
  private static final class Visibility {
    private final DatasetGraph base;
    private final BundleFilter filter;
    private final Map<Node, Boolean> known = new ConcurrentHashMap<>();

    Visibility(DatasetGraph base, BundleFilter filter) {
      this.base = base;
      this.filter = filter;
    }

    boolean test(Node graph) {
      if (graph == null || !graph.isURI() || Quad.isDefaultGraph(graph)) {
        return false; // the store keeps nothing in its own default graph; nor is it a bundle
      }
      return known.computeIfAbsent(graph, this::judge);
    }

    private boolean judge(Node graph) {
      Node type = object(graph, Vocab.eventType.asNode());
      Node subject = object(graph, Vocab.eventSubject.asNode());
      return type != null
          && type.isLiteral()
          && subject != null
          && subject.isURI()
          && filter.visible(type.getLiteralLexicalForm(), subject.getURI());
    }

    private Node object(Node graph, Node predicate) {
      Iterator<Quad> found = base.find(graph, graph, predicate, Node.ANY);
      try {
        return found.hasNext() ? found.next().getObject() : null;
      } finally {
        Iter.close(found);
      }
    }

    /** The visible graphs' names, listed from the store when asked (GRAPH ?g). */
    java.util.Collection<Node> graphs() {
      return new AbstractCollection<>() {
        @Override
        public Iterator<Node> iterator() {
          return Iter.filter(base.listGraphNodes(), Visibility.this::test);
        }

        @Override
        public int size() {
          return (int) Iter.count(iterator());
        }

        @Override
        public boolean contains(Object o) {
          return o instanceof Node node && test(node);
        }
      };
    }
  }
}
