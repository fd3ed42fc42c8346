package io.arbiter.graph.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.jena.graph.Graph;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;

/** A real store seen through a forwarder, so a test can inject one fault and keep the rest real. */
class ForwardingProvStore implements ProvStore {

  private final ProvStore real;

  ForwardingProvStore(ProvStore real) {
    this.real = real;
  }

  @Override
  public long projected() {
    return real.projected();
  }

  @Override
  public void project(List<io.arbiter.journal.JournalRecord> records) {
    real.project(records);
  }

  @Override
  public <T> T query(Query query, Duration timeout, Function<QueryExecution, T> reader) {
    return real.query(query, timeout, reader);
  }

  @Override
  public Optional<Graph> graph(String iri) {
    return real.graph(iri);
  }

  @Override
  public <T> T read(Function<Snapshot, T> reader) {
    return real.read(reader);
  }

  @Override
  public long diskBytes() {
    return real.diskBytes();
  }

  @Override
  public Optional<StoreCompaction> beginCompaction() {
    return real.beginCompaction();
  }

  @Override
  public boolean isHealthy() {
    return real.isHealthy();
  }

  @Override
  public void close() {
    real.close();
  }
}
