import { createPublicKey, verify as cryptoVerify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { GENESIS_HASH } from '../../platform/audit.ts';
import type { JWK } from 'jose';
import { rows, type Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { entryHash, type LogEntry } from './message-log.ts';

/** Reading the message log back and verifying it (chain, hashes, signatures); see message-log.ts. */
const AT_FORMAT = sql.raw(`'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`);

interface Row {
  seq: string;
  x_road_id: string;
  at: string;
  client_id: string;
  service_id: string;
  user_id: string | null;
  issue: string | null;
  method: string;
  path: string;
  status: number;
  error: string | null;
  request_hash: string;
  response_hash: string;
  request_signature: string | null;
  request_body: string | null;
  response_body: string | null;
  duration_ms: number | string;
  prev_hash: string;
  hash: string;
  kid: string;
  signature: string;
}

export const SELECT_ENTRY = sql`select seq::text as seq, x_road_id, to_char(at at time zone 'UTC', ${AT_FORMAT}) as at, client_id, service_id,
  user_id, issue, method, path, status, error, request_hash, response_hash, request_signature, request_body, response_body,
  duration_ms::float8 as duration_ms, prev_hash, hash, kid, signature from exchange.message_log`;

export const toEntry = (r: Row): LogEntry => ({
  seq: Number(r.seq),
  xRoadId: r.x_road_id,
  at: r.at,
  clientId: r.client_id,
  serviceId: r.service_id,
  userId: r.user_id,
  issue: r.issue,
  method: r.method,
  path: r.path,
  status: Number(r.status),
  error: r.error,
  requestHash: r.request_hash,
  responseHash: r.response_hash,
  requestSignature: r.request_signature,
  requestBody: r.request_body,
  responseBody: r.response_body,
  durationMs: Math.fround(Number(r.duration_ms)),
  prevHash: r.prev_hash,
  hash: r.hash,
  kid: r.kid,
  signature: r.signature,
});

export async function readEntries(db: Db, where: SQL, limit = 100): Promise<LogEntry[]> {
  return (await rows<Row>(db, sql`${SELECT_ENTRY} ${where} order by message_log.seq limit ${limit}`)).map(toEntry);
}

type Keys = Map<string, { key: KeyObject; alg: string }>;

/** The public keys of the log's own key table (kept after the platform prunes a key) and the JWKS. */
export async function logKeys(platform: Platform): Promise<JWK[]> {
  const kept = await rows<{ public_jwk: JWK | string }>(platform.db, sql`select public_jwk from exchange.log_key`);
  const byKid = new Map<string, JWK>();
  for (const r of kept) {
    const jwk = (typeof r.public_jwk === 'string' ? JSON.parse(r.public_jwk) : r.public_jwk) as JWK;
    if (jwk.kid) byKid.set(jwk.kid, jwk);
  }
  for (const jwk of (await platform.keys.jwks()).keys) if (jwk.kid && !byKid.has(jwk.kid)) byKid.set(jwk.kid, jwk);
  return [...byKid.values()];
}

export async function verificationKeys(platform: Platform): Promise<Keys> {
  const keys: Keys = new Map();
  for (const jwk of await logKeys(platform)) {
    keys.set(jwk.kid!, { key: createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }), alg: String(jwk.alg) });
  }
  return keys;
}

/** Checks an entry's compact JWS: its kid, that it signs the entry's hash, and the signature. */
export function checkEntrySignature(e: Pick<LogEntry, 'kid' | 'hash' | 'signature'>, keys: Keys): string | undefined {
  const parts = e.signature.split('.');
  if (parts.length !== 3) return 'the signature is not a compact JWS';
  let header: { alg?: string; kid?: string };
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as typeof header;
  } catch {
    return 'the signature header is not JSON';
  }
  if (header.kid !== e.kid) return 'the signature was made with another key than the row names';
  if (Buffer.from(parts[1]!, 'base64url').toString('utf8') !== e.hash) return 'the signature is over another hash';
  const k = keys.get(e.kid);
  if (!k) return `key ${e.kid} is not in the platform JWKS (pruned or foreign)`;
  if (header.alg !== k.alg) return 'the signature algorithm does not match the key';
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const sig = Buffer.from(parts[2]!, 'base64url');
  const ok = k.alg === 'EdDSA' ? cryptoVerify(null, data, k.key, sig) : cryptoVerify('sha256', data, { key: k.key, dsaEncoding: 'ieee-p1363' }, sig);
  return ok ? undefined : 'the signature does not verify';
}

export type LogProblem = 'missing' | 'broken-link' | 'tampered' | 'bad-signature';

export type LogVerification =
  | { ok: true; count: number; head: { seq: number; hash: string } | undefined }
  | { ok: false; problem: LogProblem; seq: number; detail: string; checked: number };

/**
 * Walks the whole log in seq order (keyset pages of `batchSize`, constant memory) and reports
 * the first missing entry, broken link, changed content or bad signature, with its seq.
 */
export async function verifyMessageLog(platform: Platform, opts: { batchSize?: number; onProgress?: (n: number) => void } = {}): Promise<LogVerification> {
  const batchSize = Math.max(1, opts.batchSize ?? 2000);
  const keys = await verificationKeys(platform);
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const [low] = await rows<{ seq: string }>(platform.db, sql`select seq::text as seq from exchange.message_log where seq < 1 order by seq limit 1`);
  if (low) return { ok: false, problem: 'tampered', seq: Number(low.seq), detail: 'an entry numbered below 1', checked };
  for (;;) {
    const batch = await readEntries(platform.db, sql`where seq >= ${expected}`, batchSize);
    for (const e of batch) {
      if (e.seq !== expected) {
        const detail = e.seq === expected + 1 ? `entry ${expected} is missing` : `entries ${expected} to ${e.seq - 1} are missing`;
        return { ok: false, problem: 'missing', seq: expected, detail, checked };
      }
      if (e.prevHash !== prevHash) {
        return { ok: false, problem: 'broken-link', seq: e.seq, detail: `prev_hash is not the hash of entry ${e.seq - 1}`, checked };
      }
      if (entryHash(e) !== e.hash) return { ok: false, problem: 'tampered', seq: e.seq, detail: 'the content does not match the stored hash', checked };
      const bad = checkEntrySignature(e, keys);
      if (bad) return { ok: false, problem: 'bad-signature', seq: e.seq, detail: bad, checked };
      prevHash = e.hash;
      expected++;
      checked++;
    }
    opts.onProgress?.(checked);
    if (batch.length < batchSize) break;
  }
  return { ok: true, count: checked, head: checked ? { seq: expected - 1, hash: prevHash } : undefined };
}
