package io.arbiter.graph.store;

import io.arbiter.graph.prov.Vocab;
import io.arbiter.journal.JournalRecord;
import java.util.List;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.sparql.core.Var;
import org.apache.jena.sparql.expr.E_Coalesce;
import org.apache.jena.sparql.expr.E_Equals;
import org.apache.jena.sparql.expr.ExprList;
import org.apache.jena.sparql.expr.ExprVar;
import org.apache.jena.sparql.expr.NodeValue;
import org.apache.jena.sparql.modify.request.QuadAcc;
import org.apache.jena.sparql.modify.request.QuadDataAcc;
import org.apache.jena.sparql.modify.request.Target;
import org.apache.jena.sparql.modify.request.UpdateAdd;
import org.apache.jena.sparql.modify.request.UpdateDataInsert;
import org.apache.jena.sparql.modify.request.UpdateDeleteWhere;
import org.apache.jena.sparql.modify.request.UpdateDrop;
import org.apache.jena.sparql.modify.request.UpdateModify;
import org.apache.jena.sparql.syntax.ElementFilter;
import org.apache.jena.sparql.syntax.ElementGroup;
import org.apache.jena.sparql.syntax.ElementNamedGraph;
import org.apache.jena.sparql.syntax.ElementOptional;
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

  private static final Node GUARD = NodeFactory.createURI("urn:arbiter:projection-guard");
  private static final Node GUARD_SINK = NodeFactory.createURI("urn:arbiter:projection-guard-sink");
  private static final Node PROBE = NodeFactory.createURI("urn:arbiter:union-probe");
  private static final Node PROBE_SEEN = NodeFactory.createURI("urn:arbiter:union-probe-seen");

  private SparqlRequests() {}

  /**
   * Applies journal records if the store holds exactly the records before them (its watermark is
   * the first one's sequence), else fails: the guard, then the old watermark deleted, then one
   * INSERT DATA of the bundles, their places in the ledger and the new watermark.
   */
  static UpdateRequest project(List<JournalRecord> records, LedgerGraph ledger) {
    long first = records.get(0).sequence();
    long next = LedgerGraph.requireContinues(records, first);
    QuadDataAcc data = new QuadDataAcc();
    for (JournalRecord record : records) {
      Node bundle = RecordQuads.parse(record, data::addQuad);
      data.addQuad(ledger.sequence(bundle, record.sequence()));
    }
    data.addQuad(ledger.projected(next));
    Var stated = Var.alloc("n");
    ElementTriplesBlock watermark = new ElementTriplesBlock();
    watermark.addTriple(Triple.create(ledger.name(), Vocab.projectedRecords.asNode(), stated));
    ElementGroup where = new ElementGroup();
    where.addElement(new ElementOptional(new ElementNamedGraph(ledger.name(), watermark)));
    where.addElementFilter(
        new ElementFilter(
            new E_Equals(
                new E_Coalesce(
                    new ExprList(List.of(new ExprVar(stated), NodeValue.makeInteger(0)))),
                NodeValue.makeInteger(first))));
    UpdateRequest request = new UpdateRequest();
    request.add(insertWhere(Quad.create(GUARD, GUARD, GUARD, GUARD), where));
    request.add(new UpdateAdd(Target.create(GUARD), Target.create(GUARD_SINK), false));
    request.add(new UpdateDrop(GUARD, true));
    request.add(new UpdateDrop(GUARD_SINK, true));
    QuadAcc old = new QuadAcc();
    old.addQuad(Quad.create(ledger.name(), ledger.name(), Vocab.projectedRecords.asNode(), stated));
    request.add(new UpdateDeleteWhere(old));
    request.add(new UpdateDataInsert(data));
    return request;
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

  private static UpdateModify insertWhere(Quad quad, org.apache.jena.sparql.syntax.Element where) {
    UpdateModify insert = new UpdateModify();
    insert.getInsertAcc().addQuad(quad);
    insert.setHasInsertClause(true);
    insert.setElement(where);
    return insert;
  }
}
