// An independent check of an Arbiter decision receipt, written from the specifications (C2SP
// signed-note and tlog-checkpoint, RFC 9162 inclusion proofs) on Node's own crypto (OpenSSL),
// sharing no code with the Java implementation it checks.
//
//   node verify-receipt.mjs <receipt.json> <verifier key name+hash+base64>
//
// Exit status 0 when the checkpoint is signed by the key and every entry is included in it.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();

function fail(message) {
  console.error(`FAILED: ${message}`);
  process.exit(1);
}

function parseVerifierKey(text) {
  const i = text.indexOf('+');
  const j = text.indexOf('+', i + 1);
  if (i < 1 || j < 0) fail('a verifier key is name+hash+key');
  const name = text.slice(0, i), hash = text.slice(i + 1, j), b64 = text.slice(j + 1).trim();
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 33 || key[0] !== 1) fail('not an Ed25519 verifier key');
  const expected = sha256(Buffer.from(name + '\n'), key).subarray(0, 4).toString('hex');
  if (expected !== hash) fail('the key hash does not match the key');
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key.subarray(1)]);
  return { name, hash: Buffer.from(hash, 'hex'), publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }) };
}

function verifyNote(note, key) {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) fail('malformed note');
  const text = note.slice(0, split + 1);
  for (const line of note.slice(split + 2).split('\n').filter(l => l.length > 0)) {
    const prefix = `\u2014 ${key.name} `;
    if (!line.startsWith(prefix)) continue;
    const sig = Buffer.from(line.slice(prefix.length), 'base64');
    if (sig.length !== 68 || !sig.subarray(0, 4).equals(key.hash)) continue;
    if (!verify(null, Buffer.from(text, 'utf8'), key.publicKey, sig.subarray(4))) fail('bad checkpoint signature');
    return text;
  }
  fail(`the checkpoint is not signed by ${key.name}`);
}

// RFC 9162 section 2.1.3.2
function rootFromInclusion(leaf, index, size, proof) {
  if (index >= size) fail('index beyond size');
  let fn = index, sn = size - 1n, r = leaf;
  for (const p of proof) {
    if (sn === 0n) fail('proof too long');
    if ((fn & 1n) === 1n || fn === sn) {
      r = sha256(Buffer.from([1]), p, r);
      while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = sha256(Buffer.from([1]), r, p);
    }
    fn >>= 1n; sn >>= 1n;
  }
  if (sn !== 0n) fail('proof too short');
  return r;
}

const [receiptFile, verifierKey] = process.argv.slice(2);
if (!receiptFile || !verifierKey) fail('usage: verify-receipt.mjs <receipt.json> <verifier key>');
const receipt = JSON.parse(readFileSync(receiptFile, 'utf8'));
const key = parseVerifierKey(verifierKey);
const [origin, sizeLine, rootLine] = verifyNote(receipt.checkpoint, key).split('\n');
const size = BigInt(sizeLine);
const root = Buffer.from(rootLine, 'base64');
for (const entry of receipt.entries) {
  const parsed = JSON.parse(entry.canonical);
  const keys = Object.keys(parsed);
  if (keys.join() !== [...keys].sort().join()) fail(`entry ${entry.seq} is not canonical`);
  if (BigInt(parsed.seq) !== BigInt(entry.seq)) fail(`entry ${entry.seq} claims seq ${parsed.seq}`);
  const leaf = sha256(Buffer.from([0]), Buffer.from(entry.canonical, 'utf8'));
  const proof = entry.proof.map(h => Buffer.from(h, 'base64'));
  if (!rootFromInclusion(leaf, BigInt(entry.seq), size, proof).equals(root)) fail(`entry ${entry.seq} is not in the checkpoint`);
  console.log(`entry ${entry.seq} (${parsed.type} ${parsed.subject}) is in ${origin} at size ${size}`);
}
console.log('OK');
