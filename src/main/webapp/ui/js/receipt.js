// A decision's receipt verified in the browser, with WebCrypto only (Ed25519 and SHA-256), against
// the key the server publishes; written from the specifications (C2SP signed-note and
// tlog-checkpoint, RFC 9162 §2.1.3.2), like src/test/independent/VerifyReceipt.java, and in the same
// order (docs/ledger.md): the key, the checkpoint's signature, the checkpoint, the entry, its
// inclusion. Each step says what it checked and whether it held; a failed step stops the ones that
// depend on it.

const utf8 = new TextEncoder();

function bytes(base64) {
  const text = atob(base64);
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function hex(data) {
  return [...data].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function base64(data) {
  return btoa(String.fromCharCode(...data));
}

function equal(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function sha256(...parts) {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

/** RFC 9162 §2.1.3.2: the root that `proof` gives for `leaf` at `index` in a tree of `size`. */
export async function rootFromInclusion(leaf, index, size, proof) {
  if (!(index < size)) throw new Error(`index ${index} beyond size ${size}`);
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new Error('proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(Uint8Array.of(1), p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await sha256(Uint8Array.of(1), r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('proof too short');
  return r;
}

/** Flips one bit of the byte in the middle of a string's UTF-8 (for the tampered example). */
export function flipByte(text, at = Math.floor(utf8.encode(text).length / 2)) {
  const data = utf8.encode(text);
  data[at] ^= 0x01;
  return new TextDecoder().decode(data);
}

/**
 * Verifies `receipt` ({checkpoint, verifierKey, entries: [{seq, canonical, leafHash, treeSize,
 * proof}]}) for the decision `iri` against the published key `published` ({origin,
 * verifierKey}). Returns the steps: [{id, title, ok, detail}]; ok is null for a step not run.
 */
export async function verify(receipt, published, iri) {
  const steps = [];
  const step = (id, title, ok, detail) => {
    steps.push({ id, title, ok, detail });
    return ok;
  };
  const skipped = (id, title) => step(id, title, null, 'not checked: an earlier step failed');
  if (!globalThis.crypto?.subtle) {
    step('key', 'The published key', false, 'This browser offers no WebCrypto here (it needs HTTPS or localhost).');
    return steps;
  }

  // 1. The key: name+hash+base64(0x01 || Ed25519 public key), its hash over name and key.
  let name;
  let keyHash;
  let publicKey;
  try {
    // name+hash+key: the key's base64 may itself hold '+', so split at the first two only.
    const [n, h, ...rest] = published.verifierKey.split('+');
    const k = rest.join('+');
    const typed = bytes(k);
    if (typed.length !== 33 || typed[0] !== 1) throw new Error('not an Ed25519 verifier key');
    const expected = (await sha256(utf8.encode(n + '\n'), typed)).slice(0, 4);
    if (hex(expected) !== h) throw new Error(`its key hash is ${h}, the key's is ${hex(expected)}`);
    name = n;
    keyHash = expected;
    publicKey = await crypto.subtle.importKey('raw', typed.slice(1), { name: 'Ed25519' }, false, ['verify']);
    const same = receipt.verifierKey === published.verifierKey;
    step('key', 'The published key', same,
      same ? `Ed25519 key ${name}+${h}, from /api/v1/ledger/key; the receipt names the same key`
        : `the receipt names another key (${receipt.verifierKey}) than the one published`);
  } catch (e) {
    step('key', 'The published key', false, String(e.message || e));
  }

  // 2. The checkpoint's signature: text, a blank line, signature lines "— name base64(hash||sig)".
  const note = receipt.checkpoint || '';
  const split = note.lastIndexOf('\n\n');
  const text = split < 0 ? '' : note.slice(0, split + 1);
  if (!publicKey) {
    skipped('signature', 'The checkpoint is signed by that key');
  } else if (split < 0 || !note.endsWith('\n')) {
    step('signature', 'The checkpoint is signed by that key', false, 'not a signed note');
  } else {
    let verified = false;
    for (const line of note.slice(split + 2).split('\n')) {
      const prefix = `\u2014 ${name} `;
      if (!line.startsWith(prefix)) continue;
      const signature = bytes(line.slice(prefix.length));
      if (signature.length !== 68 || !equal(signature.slice(0, 4), keyHash)) continue;
      verified = verified || (await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature.slice(4), utf8.encode(text)));
    }
    step('signature', 'The checkpoint is signed by that key', verified,
      verified ? 'Ed25519 signature over the checkpoint note verified (WebCrypto)' : `no signature line by ${name} verifies over the note`);
  }

  // 3. The checkpoint: origin, size, root.
  const lines = text.split('\n');
  const size = Number(lines[1]);
  let root = null;
  try {
    root = bytes(lines[2] || '');
  } catch {
    root = null;
  }
  const signed = steps.at(-1).ok === true;
  if (!signed) {
    skipped('checkpoint', 'The checkpoint');
  } else {
    const ok = lines[0] === published.origin && Number.isSafeInteger(size) && size > 0 && root?.length === 32;
    step('checkpoint', 'The checkpoint', ok,
      ok ? `log ${lines[0]}, size ${size}, root ${lines[2]}` : `origin ${lines[0]} (published: ${published.origin}), size ${lines[1]}, root ${lines[2]}`);
  }

  // 4. The entry: its leaf hash, and that it is about this decision.
  const entry = (receipt.entries || [])[0];
  let leaf = null;
  let entryJson = null;
  if (!entry) {
    step('entry', 'The ledger entry', false, 'the receipt has no entries');
  } else {
    leaf = await sha256(Uint8Array.of(0), utf8.encode(entry.canonical));
    try {
      entryJson = JSON.parse(entry.canonical);
    } catch {
      entryJson = null;
    }
    const sameLeaf = base64(leaf) === entry.leafHash;
    const aboutThis = entryJson?.subject === iri && entryJson?.seq === entry.seq;
    step('entry', 'The ledger entry', sameLeaf && aboutThis,
      !aboutThis ? `the entry is not decision ${iri} at sequence ${entry.seq}`
        : sameLeaf ? `entry ${entry.seq} (${entryJson.type}), leaf hash SHA-256(0x00 ‖ entry) = ${base64(leaf)}`
          : `SHA-256(0x00 ‖ entry) = ${base64(leaf)}, but the receipt says ${entry.leafHash}`);
  }

  // 5. Inclusion: the proof takes the leaf to the checkpoint's root, in a tree of its size.
  if (!entry || !steps.find((s) => s.id === 'checkpoint').ok) {
    skipped('inclusion', 'Included in the checkpoint');
  } else {
    try {
      if (entry.treeSize !== size) throw new Error(`the proof is for size ${entry.treeSize}, the checkpoint has ${size}`);
      const computed = await rootFromInclusion(leaf, entry.seq, entry.treeSize, entry.proof.map(bytes));
      const ok = equal(computed, root);
      step('inclusion', 'Included in the checkpoint', ok,
        ok ? `${entry.proof.length} proof hashes take leaf ${entry.seq} to the checkpoint's root at size ${size}`
          : `the proof gives root ${base64(computed)}, the checkpoint's is ${lines[2]}`);
    } catch (e) {
      step('inclusion', 'Included in the checkpoint', false, String(e.message || e));
    }
  }
  return steps;
}
