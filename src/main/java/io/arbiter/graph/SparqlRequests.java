package io.arbiter.graph;

import java.util.List;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Query;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.sparql.core.Var;
import org.apache.jena.sparql.engine.binding.BindingFactory;
import org.apache.jena.sparql.expr.E_NotExists;
import org.apache.jena.sparql.modify.request.QuadDataAcc;
import org.apache.jena.sparql.modify.request.Target;
import org.apache.jena.sparql.modify.request.UpdateAdd;
import org.apache.jena.sparql.modify.request.UpdateDataInsert;
import org.apache.jena.sparql.modify.request.UpdateDrop;
import org.apache.jena.sparql.modify.request.UpdateModify;
import org.apache.jena.sparql.syntax.ElementData;
import org.apache.jena.sparql.syntax.ElementFilter;
import org.apache.jena.sparql.syntax.ElementGroup;
import org.apache.jena.sparql.syntax.ElementNamedGraph;
import org.apache.jena.sparql.syntax.ElementTriplesBlock;
import org.apache.jena.update.UpdateRequest;

/**
 * The update requests {@link SparqlProvStore} sends, built from Jena objects (no text is spliced).
 *
 * <p>SPARQL Update has no "fail if": a request fails only when an operation errs. The one that errs
 * on a missing graph here is a non-silent {@code ADD} (the standard says so, and Jena does; Jena
 * ignores a {@code DROP} of a missing graph, so that will not do). Each condition is therefore
 * written as a marker graph inserted only while the condition holds, then {@code ADD}ed — failing
 * the whole request, all of it rolled back, when the marker is missing — and dropped. The markers'
 * names lie outside any base IRI and never outlive the request.
 */
final class SparqlRequests {

  private static final Node GUARD = NodeFactory.createURI("urn:arbiter:append-guard");
  private static final Node GUARD_SINK = NodeFactory.createURI("urn:arbiter:append-guard-sink");
  private static final Node PROBE = NodeFactory.createURI("urn:arbiter:union-probe");
  private static final Node PROBE_SEEN = NodeFactory.createURI("urn:arbiter:union-probe-seen");

  private SparqlRequests() {}

  /**
   * Stores {@code bundles} and their ledger entries if none of the bundle names is taken, else
   * fails: the guard, then one INSERT DATA of everything.
   */
  static UpdateRequest append(List<Bundle> bundles, LedgerGraph ledger) {
    QuadDataAcc data = new QuadDataAcc();
    for (Bundle bundle : bundles) {
      Node name = NodeFactory.createURI(bundle.iri());
      bundle.triples().find().forEachRemaining(t -> data.addQuad(Quad.create(name, t)));
      ledger.quads(bundle).forEach(data::addQuad);
    }
    Var graph = Var.alloc("g");
    ElementGroup where = new ElementGroup();
    where.addElementFilter(new ElementFilter(new E_NotExists(anyTripleIn(graph, names(bundles)))));
    UpdateRequest request = new UpdateRequest();
    request.add(insertWhere(Quad.create(GUARD, GUARD, GUARD, GUARD), where));
    request.add(new UpdateAdd(Target.create(GUARD), Target.create(GUARD_SINK), false));
    request.add(new UpdateDrop(GUARD, true));
    request.add(new UpdateDrop(GUARD_SINK, true));
    request.add(new UpdateDataInsert(data));
    return request;
  }

  /** ASK whether any of the bundles' names has a triple: why an append failed. */
  static Query anyTaken(List<Bundle> bundles) {
    Query ask = new Query();
    ask.setQueryAskType();
    ask.setQueryPattern(anyTripleIn(Var.alloc("g"), names(bundles)));
    return ask;
  }

  /**
   * Writes a triple to a named graph and copies what the default graph then shows of it to a marker
   * graph: the request fails unless the default graph is (at least) the union of the named graphs.
   * It leaves nothing behind, and works on an empty store, where a query could not tell.
   */
  static UpdateRequest unionProbe() {
    Triple probe = Triple.create(PROBE, PROBE, PROBE);
    QuadDataAcc data = new QuadDataAcc();
    data.addQuad(Quad.create(PROBE, probe));
    ElementTriplesBlock seen = new ElementTriplesBlock();
    seen.addTriple(probe);
    UpdateRequest request = new UpdateRequest();
    request.add(new UpdateDataInsert(data));
    request.add(insertWhere(Quad.create(PROBE_SEEN, probe), seen));
    request.add(new UpdateAdd(Target.create(PROBE_SEEN), Target.create(PROBE), false));
    request.add(new UpdateDrop(PROBE_SEEN, true));
    request.add(new UpdateDrop(PROBE, true));
    return request;
  }

  private static List<Node> names(List<Bundle> bundles) {
    return bundles.stream().map(b -> NodeFactory.createURI(b.iri())).toList();
  }

  private static UpdateModify insertWhere(Quad quad, org.apache.jena.sparql.syntax.Element where) {
    UpdateModify insert = new UpdateModify();
    insert.getInsertAcc().addQuad(quad);
    insert.setHasInsertClause(true);
    insert.setElement(where);
    return insert;
  }

  /** {@code VALUES ?graph { names } GRAPH ?graph { ?s ?p ?o }} */
  private static ElementGroup anyTripleIn(Var graph, List<Node> names) {
    ElementData values = new ElementData();
    values.add(graph);
    names.forEach(name -> values.add(BindingFactory.binding(graph, name)));
    ElementTriplesBlock any = new ElementTriplesBlock();
    any.addTriple(Triple.create(Var.alloc("s"), Var.alloc("p"), Var.alloc("o")));
    ElementGroup pattern = new ElementGroup();
    pattern.addElement(values);
    pattern.addElement(new ElementNamedGraph(graph, any));
    return pattern;
  }
}
