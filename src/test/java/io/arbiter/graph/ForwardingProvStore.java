package io.arbiter.graph;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
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
  public long nextSequence() {
    return real.nextSequence();
  }

  @Override
  public void append(List<Bundle> bundles) {
    real.append(bundles);
  }

  @Override
  public Graph asStored(Graph graph) {
    return real.asStored(graph);
  }

  @Override
  public Optional<byte[]> entry(long sequence) {
    return real.entry(sequence);
  }

  @Override
  public void forEachEntry(long from, long to, BiConsumer<Long, byte[]> sink) {
    real.forEachEntry(from, to, sink);
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
  public void compact() {
    real.compact();
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
