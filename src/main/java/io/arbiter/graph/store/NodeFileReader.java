package io.arbiter.graph.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.jena.dboe.sys.Names;
import org.apache.jena.graph.Node;
import org.apache.jena.riot.thrift.TRDF;
import org.apache.jena.riot.thrift.ThriftConvert;
import org.apache.jena.riot.thrift.wire.RDF_Term;
import org.apache.jena.tdb2.store.NodeId;
import org.apache.jena.tdb2.store.nodetable.NodeTable;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * Decodes the nodes of a TDB2 generation, read mostly in the order they were written, through a
 * window of its node data file and a cache of the nodes decoded last. TDB2's own node table reads
 * each node's Thrift term with a seek and a read per field: a million bundles' nodes were most of
 * the verifier's 450 s (docs/performance.md). A bundle's own nodes lie together, just after its
 * name, so one read of the window holds a thousand bundles'; the nodes every bundle shares (a
 * predicate, a class, a policy) stay in the cache. A node larger than the window is asked of TDB2's
 * table.
 *
 * <p>A node id of TDB2's node table is the node's position in {@code nodes-data.obj}, where its
 * term is written in Thrift's compact protocol (Jena's {@code NodeTableTRDF}); a node a committed
 * quad names was written before that commit, so it lies within the file.
 */
final class NodeFileReader implements AutoCloseable {

  /** Large enough that a bundle's nodes, written together, lie in one window. */
  static final int WINDOW = 1 << 20;

  private final NodeTable table;
  private final FileChannel file;
  private final byte[] window;
  private long windowStart = -1;
  private int windowLength;
  private final TMemoryInputTransport transport;
  private final TProtocol protocol;
  private long fromFile;

  /** Recently decoded nodes by position: the shared ones are met in every bundle. */
  private final java.util.LinkedHashMap<Long, Node> recent =
      new java.util.LinkedHashMap<>(1 << 12, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Long, Node> eldest) {
          return size() > RECENT;
        }
      };

  private static final int RECENT = 1 << 16;

  private NodeFileReader(NodeTable table, FileChannel file, int windowBytes) {
    this.table = table;
    this.file = file;
    this.window = new byte[windowBytes];
    try {
      this.transport = new TMemoryInputTransport();
    } catch (TTransportException e) {
      throw new IllegalStateException(e);
    }
    this.protocol = TRDF.protocol(transport);
  }

  /** A reader that asks {@code table} for every node (an in-memory store keeps no file). */
  static NodeFileReader tableOnly(NodeTable table) {
    return new NodeFileReader(table, null, 0);
  }

  /**
   * A reader of the node data file in {@code generation}, or of {@code table} alone if the
   * generation has no such file.
   */
  static NodeFileReader open(NodeTable table, Path generation, int windowBytes) {
    Path data = generation.resolve(Names.nodeTableBaseName + "-data." + Names.extObjNodeData);
    if (!Files.isRegularFile(data)) {
      return tableOnly(table);
    }
    try {
      return new NodeFileReader(
          table, FileChannel.open(data, StandardOpenOption.READ), windowBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the node data file " + data, e);
    }
  }

  /** The node {@code id} names. */
  Node node(NodeId id) {
    if (file == null || !id.isPtr()) {
      return table.getNodeForNodeId(id);
    }
    long position = id.getPtrLocation();
    Node node = recent.get(position);
    if (node != null) {
      return node;
    }
    node = position >= windowStart ? decode(position) : null;
    if (node == null) {
      // A little behind too: a graph's quads come in subject order, not in the order its nodes
      // were written, so its first node read is not always its first written.
      fill(Math.max(0, position - window.length / 16));
      node = decode(position);
    }
    if (node == null) {
      return table.getNodeForNodeId(id); // larger than the window
    }
    fromFile++;
    recent.put(position, node);
    return node;
  }

  /** How many nodes were decoded from the file rather than asked of TDB2's table. */
  long fromFile() {
    return fromFile;
  }

  /** The term at {@code position} if the window holds all of it, else null. */
  private Node decode(long position) {
    long offset = position - windowStart;
    if (offset >= windowLength) {
      return null;
    }
    transport.reset(window, (int) offset, windowLength - (int) offset);
    protocol.reset();
    RDF_Term term = new RDF_Term();
    try {
      term.read(protocol);
    } catch (TException e) {
      return null; // ran past the window's end
    }
    return ThriftConvert.convert(term);
  }

  private void fill(long position) {
    ByteBuffer into = ByteBuffer.wrap(window);
    try {
      while (into.hasRemaining()) {
        if (file.read(into, position + into.position()) < 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the node data file", e);
    }
    windowStart = position;
    windowLength = into.position();
  }

  @Override
  public void close() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        // Read-only: nothing was lost.
      }
    }
  }
}
