package io.arbiter.ledger;

/** A signed note or key that cannot be accepted: malformed, unknown signer, or a bad signature. */
public final class NoteException extends Exception {
  public NoteException(String message) {
    super(message, null, false, false);
  }
}
