package io.arbiter.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** C2SP signed notes and checkpoints: signing, verifying, and every tampering refused. */
class SignedNoteTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private final NoteKey key = NoteKey.generate("example.org/log", RANDOM);
  private final Checkpoint checkpoint =
      new Checkpoint("example.org/log", 42, MerkleHashes.leaf(new byte[] {1}));

  @Test
  void sign_thenVerify_givesTheCheckpointBack() throws Exception {
    String note = key.sign(checkpoint.body());
    assertTrue(note.startsWith("example.org/log\n42\n"));
    assertTrue(note.contains("\n\n\u2014 example.org/log "));
    Checkpoint read = Checkpoint.parse(NoteVerifier.parse(key.verifierKey()).verify(note));
    assertEquals(42, read.size());
    assertArrayEquals(checkpoint.root(), read.root());
  }

  @Test
  void verify_refusesAnotherKeysSignature() throws Exception {
    NoteKey impostor = NoteKey.generate("example.org/log", RANDOM);
    String forged = impostor.sign(checkpoint.body());
    NoteVerifier verifier = NoteVerifier.parse(key.verifierKey());
    assertThrows(NoteException.class, () -> verifier.verify(forged));
  }

  @Test
  void verify_refusesAnAlteredBody() throws Exception {
    String note = key.sign(checkpoint.body());
    NoteVerifier verifier = NoteVerifier.parse(key.verifierKey());
    assertThrows(NoteException.class, () -> verifier.verify(note.replace("\n42\n", "\n43\n")));
    assertThrows(NoteException.class, () -> verifier.verify(note.replace("\u2014 ", "- ")));
    assertThrows(NoteException.class, () -> verifier.verify("no signature\n"));
  }

  @Test
  void verify_ignoresOtherSignersLines() throws Exception {
    NoteKey witness = NoteKey.generate("witness.example", RANDOM);
    String note = key.sign(checkpoint.body());
    String cosigned =
        note + witness.sign(checkpoint.body()).substring(checkpoint.body().length() + 1);
    assertEquals(checkpoint.body(), NoteVerifier.parse(key.verifierKey()).verify(cosigned));
    assertEquals(checkpoint.body(), NoteVerifier.parse(witness.verifierKey()).verify(cosigned));
  }

  @Test
  void verifierKey_withAWrongHash_isRefused() {
    String[] parts = key.verifierKey().split("\\+", 3);
    String wrong = parts[0] + "+00000000+" + parts[2];
    assertThrows(NoteException.class, () -> NoteVerifier.parse(wrong));
  }

  @Test
  void privateKey_roundTrips() throws Exception {
    NoteKey again = NoteKey.parsePrivate(key.encodePrivate());
    assertEquals(key.verifierKey(), again.verifierKey());
    String note = again.sign(checkpoint.body());
    assertEquals(checkpoint.body(), NoteVerifier.parse(key.verifierKey()).verify(note));
  }

  @Test
  void checkpoint_parse_refusesNonCanonicalSizes() {
    assertThrows(
        NoteException.class,
        () -> Checkpoint.parse("o\n042\n" + checkpoint.body().split("\n")[2] + "\n"));
    assertThrows(NoteException.class, () -> Checkpoint.parse("o\n42\nnot-base64!\n"));
  }
}
