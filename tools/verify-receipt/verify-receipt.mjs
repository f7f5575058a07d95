#!/usr/bin/env node
// Standalone checker of a PreferenceCenter consent receipt. Node.js built-ins only; shares no code with the app.
// Usage: node verify-receipt.mjs <receipt.json> <keys.json | https://…/.well-known/consent-ledger-keys>
// Exit 0 when every check passes, 1 with "FAIL: …" at the first that does not, 2 on a usage error.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const sha256 = (...parts) => { const h = createHash('sha256'); for (const p of parts) h.update(p); return h.digest(); };
const hex = (b) => Buffer.from(b).toString('hex');
const ok = (what) => console.log(`ok   ${what}`);
class Refused extends Error {}
const check = (condition, message) => { if (!condition) throw new Refused(message); };

async function load(source) {
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source);
    if (!response.ok) throw new Refused(`could not fetch ${source}: HTTP ${response.status}`);
    return response.json();
  }
  return JSON.parse(readFileSync(source, 'utf8'));
}

// docs/ledger-encoding.md §2: one "name=value" line per field, a null value as the bare name; \\, \n, \r escaped.
function parseCanonical(text) {
  check(text.endsWith('\n'), 'canonical text does not end with a newline');
  const fields = new Map();
  for (const line of text.slice(0, -1).split('\n')) {
    const at = line.indexOf('=');
    const name = at < 0 ? line : line.slice(0, at);
    const value = at < 0 ? null : line.slice(at + 1).replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
    check(!fields.has(name), `canonical text repeats the field "${name}"`);
    fields.set(name, value);
  }
  return fields;
}

// RFC 9162 §2.1.3.2.
function rootFromInclusion(index, size, leafHash, path) {
  check(index >= 0n && index < size, 'leaf index is outside the tree');
  let fn = index, sn = size - 1n, r = leafHash;
  for (const p of path) {
    check(sn !== 0n, 'audit path is longer than the tree is deep');
    if ((fn & 1n) === 1n || fn === sn) {
      r = sha256(Buffer.from([1]), p, r);
      while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = sha256(Buffer.from([1]), r, p);
    }
    fn >>= 1n; sn >>= 1n;
  }
  check(sn === 0n, 'audit path is shorter than the tree is deep');
  return r;
}

// c2sp.org/signed-note + c2sp.org/tlog-checkpoint, signature type 0x02 (ECDSA P-256, SHA-256, DER signature).
function verifyCheckpoint(note, keys) {
  const split = note.lastIndexOf('\n\n');
  check(split > 0 && note.endsWith('\n'), 'checkpoint is not a signed note');
  const body = note.slice(0, split + 1);
  const signatures = note.slice(split + 2, -1).split('\n');
  let verifiedBy = null;
  for (const line of signatures) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    check(m, `malformed signature line: ${line}`);
    const blob = Buffer.from(m[2], 'base64');
    check(blob.length > 4, 'signature too short');
    for (const key of keys) {
      const spki = Buffer.from(key.publicKey, 'base64');
      const keyId = sha256(spki).subarray(0, 4);
      if (key.name !== m[1] || !keyId.equals(blob.subarray(0, 4))) continue;
      check(key.algorithm === 'ecdsa-p256-sha256', `unsupported key algorithm ${key.algorithm}`);
      check(hex(keyId) === key.keyId && hex(sha256(spki)) === key.sha256, `published key ${key.keyId} does not match its own public key`);
      const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      check(publicKey.asymmetricKeyDetails?.namedCurve === 'prime256v1', `key ${key.keyId} is not a P-256 key`);
      check(verify('sha256', Buffer.from(body, 'utf8'), { key: publicKey, dsaEncoding: 'der' }, blob.subarray(4)),
        `checkpoint signature by key ${key.keyId} does not verify`);
      verifiedBy = key;
    }
  }
  check(verifiedBy, 'checkpoint is not signed by any published key');
  const lines = body.split('\n');
  check(lines.length >= 4 && /^[0-9]+$/.test(lines[1]), 'checkpoint text is not origin, tree size, root hash');
  return { origin: lines[0], size: BigInt(lines[1]), root: Buffer.from(lines[2], 'base64'), key: verifiedBy };
}

async function main([receiptPath, keysSource]) {
  if (!receiptPath || !keysSource) {
    console.error('usage: node verify-receipt.mjs <receipt.json> <keys.json | keys URL>');
    return 2;
  }
  const receipt = await load(receiptPath);
  const published = await load(keysSource);
  // The ISO/IEC TS 27560 receipt carries the ledger evidence under extension.preferencecenter (docs/receipts.md).
  const evidence = receipt.extension?.preferencecenter;
  check(evidence, 'receipt has no extension.preferencecenter evidence');
  const { event, chain, text, proof } = evidence;

  // 1. The canonical text: what the event hash is computed over, and what the receipt says it is.
  const canonical = evidence.canonical;
  check(typeof canonical === 'string', 'receipt has no canonical text');
  check(Buffer.from(evidence.canonicalBase64 ?? '', 'base64').toString('utf8') === canonical, 'canonicalBase64 is not the canonical text');
  const eventHash = hex(sha256(Buffer.from(canonical, 'utf8')));
  check(eventHash === chain.hash, `event hash does not recompute from the canonical text (got ${eventHash}, receipt says ${chain.hash})`);
  ok(`event hash ${eventHash} = SHA-256 of the canonical text`);

  const f = parseCanonical(canonical);
  const same = (name, shown) => check(f.get(name) === (shown ?? null), `the receipt shows ${name} = ${JSON.stringify(shown ?? null)} but the hashed text says ${JSON.stringify(f.get(name))}`);
  same('sequence', String(event.sequence));
  same('customer', String(event.customerId).toLowerCase());
  same('purpose', event.purpose);
  same('action', event.action);
  same('occurred_at', event.occurredAt);
  same('recorded_at', event.recordedAt);
  same('method', event.method);
  same('actor', event.actor);
  same('locale', event.locale);
  same('text_id', String(event.consentTextId));
  if (f.has('text_sha256')) same('text_sha256', event.textSha256);
  if (f.has('origin')) same('origin', event.origin);
  same('personal', chain.personalDigest);
  same('prev', chain.previousHash);
  // The standard fields a reader sees first must say what the hashed event says.
  check(receipt.consentStatus === (event.action === 'Granted' ? 'dpv:ConsentGiven' : 'dpv:ConsentWithdrawn'), `consentStatus ${receipt.consentStatus} is not the hashed action ${event.action}`);
  check(receipt.consentEvent?.eventTime === event.occurredAt, 'consentEvent.eventTime is not the hashed time');
  check(receipt.purposes?.[0]?.purposeId === event.purpose, 'purposes[0].purposeId is not the hashed purpose');
  check(receipt.notice?.sha256 === text.sha256 && receipt.notice?.text === text.body, 'the notice is not the wording the event was hashed with');
  ok('the event shown (time, purpose, action, method, text) is the event hashed');

  // 2. The wording: SHA-256 of label, newline, body is the text hash in the hashed event.
  const wording = hex(sha256(Buffer.from(`${text.label}\n${text.body}`, 'utf8')));
  check(wording === text.sha256, `the wording's SHA-256 is ${wording}, the receipt says ${text.sha256}`);
  check(!f.has('text_sha256') || f.get('text_sha256') === wording, 'the wording is not the text the event was hashed with');
  check(String(text.id) === f.get('text_id'), 'the wording is another text version than the event names');
  ok(`wording SHA-256 ${wording} matches the event`);

  // 3. The leaf and its audit path to the checkpoint's root.
  check(proof, 'receipt carries no inclusion proof');
  const leaf = sha256(Buffer.from([0]), Buffer.from(eventHash, 'hex'));
  check(hex(leaf) === proof.leafHash, 'leaf hash is not SHA-256(0x00 || event hash)');
  check(BigInt(proof.leafIndex) === BigInt(event.sequence) - 1n, 'leaf index is not the event sequence - 1');
  const root = rootFromInclusion(BigInt(proof.leafIndex), BigInt(proof.treeSize), leaf, proof.auditPath.map((p) => Buffer.from(p, 'hex')));
  check(hex(root) === proof.rootHash, `the audit path leads to root ${hex(root)}, not to ${proof.rootHash}`);
  ok(`event is leaf ${proof.leafIndex} of a tree of ${proof.treeSize}, root ${hex(root)}`);

  // 4. The signed checkpoint: a published key signed that root for that size.
  const checkpoint = verifyCheckpoint(proof.checkpoint, published.keys ?? []);
  check(checkpoint.size === BigInt(proof.treeSize), 'the checkpoint is for another tree size');
  check(checkpoint.root.equals(root), 'the checkpoint signs another root');
  ok(`checkpoint "${checkpoint.origin}" of ${checkpoint.size} events signed by key ${checkpoint.key.keyId} (${checkpoint.key.algorithm})`);
  console.log('VERIFIED');
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  console.error(`FAIL: ${error instanceof Refused ? error.message : error}`);
  process.exit(1);
});
