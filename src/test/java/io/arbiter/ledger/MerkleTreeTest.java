package io.arbiter.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arbiter.ledger.ProofException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast tree and the verifier, checked against RFC 6962 test data and the reference. */
class MerkleTreeTest {

  private static final HexFormat HEX = HexFormat.of();

  /** The eight leaves of the RFC 6962 / Certificate Transparency test data. */
  static final List<String> CT_LEAVES =
      List.of(
          "",
          "00",
          "10",
          "2021",
          "3031",
          "40414243",
          "5051525354555657",
          "606162636465666768696a6b6c6d6e6f");

  /** Their roots for sizes 1 to 8, as published with that test data. */
  static final List<String> CT_ROOTS =
      List.of(
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
          "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
          "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
          "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
          "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  static MerkleTree tree(int size, List<byte[]> leafHashes) {
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < size; i++) {
      byte[] entry = ("entry-" + i).getBytes(StandardCharsets.UTF_8);
      leafHashes.add(MerkleHashes.leaf(entry));
      tree.append(entry);
    }
    return tree;
  }

  @Test
  void roots_matchTheCertificateTransparencyTestData() throws Exception {
    MerkleTree tree = new MerkleTree();
    List<byte[]> leaves = new ArrayList<>();
    for (String leaf : CT_LEAVES) {
      tree.append(HEX.parseHex(leaf));
      leaves.add(MerkleHashes.leaf(HEX.parseHex(leaf)));
    }
    for (int size = 1; size <= 8; size++) {
      assertEquals(CT_ROOTS.get(size - 1), HEX.formatHex(tree.root(size)), "root of size " + size);
      assertEquals(
          CT_ROOTS.get(size - 1), HEX.formatHex(ReferenceMerkle.root(leaves.subList(0, size))));
    }
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        HEX.formatHex(tree.root(0)));
  }

  @Test
  void everyRootAndInclusionProof_upTo130Leaves_matchesTheReferenceAndVerifies() throws Exception {
    List<byte[]> leaves = new ArrayList<>();
    MerkleTree tree = tree(130, leaves);
    for (int size = 1; size <= 130; size++) {
      List<byte[]> prefix = leaves.subList(0, size);
      byte[] root = tree.root(size);
      assertArrayEquals(ReferenceMerkle.root(prefix), root, "root of size " + size);
      for (int index = 0; index < size; index++) {
        List<byte[]> proof = tree.inclusionProof(index, size);
        assertProofEquals(ReferenceMerkle.path(index, prefix), proof);
        MerkleProofs.verifyInclusion(leaves.get(index), index, size, proof, root);
      }
    }
  }

  @Test
  void everyConsistencyProof_upTo70Leaves_matchesTheReferenceAndVerifies() throws Exception {
    List<byte[]> leaves = new ArrayList<>();
    MerkleTree tree = tree(70, leaves);
    for (int to = 1; to <= 70; to++) {
      for (int from = 1; from < to; from++) {
        List<byte[]> proof = tree.consistencyProof(from, to);
        assertProofEquals(ReferenceMerkle.consistency(from, leaves.subList(0, to)), proof);
        MerkleProofs.verifyConsistency(from, to, tree.root(from), tree.root(to), proof);
      }
      assertEquals(List.of(), tree.consistencyProof(to, to));
      assertEquals(List.of(), tree.consistencyProof(0, to));
    }
  }

  @Test
  void anyAlteredInclusionProof_isRejected() throws Exception {
    List<byte[]> leaves = new ArrayList<>();
    MerkleTree tree = tree(37, leaves);
    byte[] root = tree.root(37);
    for (int index = 0; index < 37; index++) {
      List<byte[]> proof = tree.inclusionProof(index, 37);
      for (int i = 0; i < proof.size(); i++) {
        List<byte[]> altered = copy(proof);
        altered.get(i)[i % MerkleHashes.SIZE] ^= 1;
        int at = index;
        assertEquals(
            Kind.ROOT_MISMATCH,
            assertThrows(
                    ProofException.class,
                    () -> MerkleProofs.verifyInclusion(leaves.get(at), at, 37, altered, root))
                .kind());
      }
      int at = index;
      assertEquals(
          Kind.WRONG_PROOF_SIZE,
          assertThrows(
                  ProofException.class,
                  () ->
                      MerkleProofs.verifyInclusion(
                          leaves.get(at), at, 37, proof.subList(0, proof.size() - 1), root))
              .kind());
      List<byte[]> longer = copy(proof);
      longer.add(new byte[MerkleHashes.SIZE]);
      assertEquals(
          Kind.WRONG_PROOF_SIZE,
          assertThrows(
                  ProofException.class,
                  () -> MerkleProofs.verifyInclusion(leaves.get(at), at, 37, longer, root))
              .kind());
      byte[] otherLeaf = leaves.get((index + 1) % 37);
      assertEquals(
          Kind.ROOT_MISMATCH,
          assertThrows(
                  ProofException.class,
                  () -> MerkleProofs.verifyInclusion(otherLeaf, at, 37, proof, root))
              .kind());
    }
  }

  @Test
  void anyAlteredConsistencyProof_isRejected() throws Exception {
    List<byte[]> leaves = new ArrayList<>();
    MerkleTree tree = tree(29, leaves);
    for (int from = 1; from < 29; from++) {
      List<byte[]> proof = tree.consistencyProof(from, 29);
      byte[] oldRoot = tree.root(from);
      byte[] newRoot = tree.root(29);
      for (int i = 0; i < proof.size(); i++) {
        List<byte[]> altered = copy(proof);
        altered.get(i)[0] ^= (byte) 0x80;
        int m = from;
        assertThrows(
            ProofException.class,
            () -> MerkleProofs.verifyConsistency(m, 29, oldRoot, newRoot, altered));
      }
      int m = from;
      byte[] wrongOld = tree.root(from - 1 == 0 ? 2 : from - 1);
      assertThrows(
          ProofException.class,
          () -> MerkleProofs.verifyConsistency(m, 29, wrongOld, newRoot, proof));
    }
  }

  @Test
  void requestsOutsideTheTree_areTypedFailures() {
    MerkleTree tree = tree(5, new ArrayList<>());
    assertEquals(
        Kind.INDEX_BEYOND_SIZE,
        assertThrows(ProofException.class, () -> tree.inclusionProof(5, 5)).kind());
    assertEquals(
        Kind.INDEX_BEYOND_SIZE,
        assertThrows(ProofException.class, () -> tree.inclusionProof(0, 6)).kind());
    assertEquals(
        Kind.INDEX_BEYOND_SIZE, assertThrows(ProofException.class, () -> tree.root(6)).kind());
    assertEquals(
        Kind.SIZES_OUT_OF_ORDER,
        assertThrows(ProofException.class, () -> tree.consistencyProof(4, 3)).kind());
    assertEquals(
        Kind.INDEX_BEYOND_SIZE, assertThrows(ProofException.class, () -> tree.leafHash(-1)).kind());
  }

  static void assertProofEquals(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size(), "proof length");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "proof hash " + i);
    }
  }

  private static List<byte[]> copy(List<byte[]> proof) {
    List<byte[]> copy = new ArrayList<>();
    proof.forEach(p -> copy.add(p.clone()));
    return copy;
  }
}
