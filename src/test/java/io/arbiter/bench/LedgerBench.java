package io.arbiter.bench;

import io.arbiter.ledger.LedgerEntry;
import io.arbiter.ledger.MerkleHashes;
import io.arbiter.ledger.MerkleProofs;
import io.arbiter.ledger.MerkleTree;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Ledger micro-benchmark: appending entries, serving and checking inclusion proofs, rebuilding the
 * tree — beside the naive baseline of recomputing from all leaf hashes as RFC 9162 defines it.
 *
 * <pre>mvn -q exec:java -Dexec.mainClass=io.arbiter.bench.LedgerBench -Dexec.args="--n 1000000"
 * </pre>
 */
public final class LedgerBench {

  private LedgerBench() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(IntakeBench.option(args, "--n", "1000000"));
    System.out.printf(
        Locale.ROOT,
        "Arbiter ledger, %,d entries; %d cores, Java %s%n",
        n,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    List<byte[]> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      entries.add(
          new LedgerEntry(
                  i,
                  "decision.submitted",
                  Instant.EPOCH.plusMillis(i),
                  "integrator",
                  "http://localhost:9080/id/decisions/01a213a7-dea6-7be7-8313-"
                      + String.format("%012d", i),
                  "http://localhost:9080/id/bundles/" + i,
                  "sha256:" + "ab".repeat(32))
              .canonicalBytes());
    }
    for (int round = 0; round < 2; round++) { // the first round warms the JIT
      MerkleTree tree = new MerkleTree();
      long t0 = System.nanoTime();
      for (byte[] entry : entries) {
        tree.append(entry);
      }
      double appendSeconds = (System.nanoTime() - t0) / 1e9;

      Random random = new Random(42);
      int proofs = 20_000;
      long t1 = System.nanoTime();
      for (int i = 0; i < proofs; i++) {
        long index = random.nextInt(n);
        List<byte[]> proof = tree.inclusionProof(index, n);
        MerkleProofs.verifyInclusion(tree.leafHash(index), index, n, proof, tree.root(n));
      }
      double proofMicros = (System.nanoTime() - t1) / 1e3 / proofs;

      // Baseline: the RFC's definition, recomputing the root from every leaf hash each time.
      int baselineSize = Math.min(n, 65_536);
      List<byte[]> leaves = new ArrayList<>(baselineSize);
      for (int i = 0; i < baselineSize; i++) {
        leaves.add(tree.leafHash(i));
      }
      long t2 = System.nanoTime();
      int naive = 20;
      for (int i = 0; i < naive; i++) {
        naiveRoot(leaves);
      }
      double naiveMicros = (System.nanoTime() - t2) / 1e3 / naive;

      if (round == 1) {
        System.out.printf(
            Locale.ROOT,
            "append (leaf hash + tree):                    %,12.0f entries/s  (%.2f s for all)%n",
            n / appendSeconds,
            appendSeconds);
        System.out.printf(
            Locale.ROOT,
            "inclusion proof + verify, tree of %,d:   %10.1f µs each%n",
            n,
            proofMicros);
        System.out.printf(
            Locale.ROOT,
            "baseline: root recomputed from %,d leaves: %10.1f µs each%n",
            baselineSize,
            naiveMicros);
      }
    }
  }

  private static byte[] naiveRoot(List<byte[]> leaves) {
    if (leaves.size() == 1) {
      return leaves.get(0);
    }
    int k = Integer.highestOneBit(leaves.size() - 1);
    return MerkleHashes.node(
        naiveRoot(leaves.subList(0, k)), naiveRoot(leaves.subList(k, leaves.size())));
  }
}
