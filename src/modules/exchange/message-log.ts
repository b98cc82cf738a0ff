import { createHash, KeyObject, sign as cryptoSign } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { DataAccess } from '../../platform/access-log.ts';
import { canonicalJson, GENESIS_HASH } from '../../platform/audit.ts';
import { rows, type Db } from '../../platform/db.ts';
import { createGroupCommit, type GroupCommit } from '../../platform/group-commit.ts';
import type { Platform } from '../../platform/platform.ts';

/**
 * The exchange message log (exchange.message_log): one entry per mediated exchange, hash-chained
 * in seq order and signed with the platform key store's active EdDSA key.
 *
 * Entry hash: lowercase hex SHA-256 of the UTF-8 RFC 8785 canonical JSON of
 *
 *   { at, client_id, duration_ms, error, issue, method, path, prev_hash, request_body,
 *     request_hash, request_signature, response_body, response_hash, seq, service_id, status,
 *     user_id, x_road_id }
 *
 * with `at` as UTC ISO 8601 with six fractional digits (what timestamptz keeps), absent values as
 * null, `duration_ms` as the single-precision value the `real` column holds (Math.fround), and
 * `prev_hash` the previous entry's hash (64 zeros for seq 1). `signature` is a compact JWS
 * (RFC 7515) whose payload is the hash text, with `kid` in its header and in the row.
 *
 * Writers go through a group commit: each request's entry (and its personal-data access
 * records) is added and awaited; entries that arrive while a batch is being written go in the
 * next one, entries and access records of a batch committed together (usually in one statement,
 * see writeBatch). Across processes, the append functions (migrations 0004, 0005) take an
 * advisory lock and check the head after it, so seq is gap-free and the chain one line.
 */
export interface LogEntryInput {
  xRoadId: string;
  /** UTC ISO 8601 with six fractional digits. */
  at: string;
  clientId: string;
  serviceId: string;
  userId: string | null;
  issue: string | null;
  method: string;
  path: string;
  status: number;
  error: string | null;
  requestHash: string;
  responseHash: string;
  requestSignature: string | null;
  requestBody: string | null;
  responseBody: string | null;
  durationMs: number;
}

export interface LogEntry extends LogEntryInput {
  seq: number;
  prevHash: string;
  hash: string;
  kid: string;
  signature: string;
}

// distinct from the platform's migration, audit and key locks (4_621_202_601…603); taken by
// exchange.message_log_lock_head() (migration 0004), which must use the same number
export const MESSAGE_LOG_LOCK = 4_621_202_611;

/** JS time → the `at` text that is hashed and stored (microsecond precision, as timestamptz). */
export const logTime = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');

/** Text PostgreSQL can store and JSON can carry unchanged: no NUL, no lone surrogates. */
export const safeText = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\0/g, '\uFFFD');

/** The hashed fields of an entry, under their column names (the hash's JSON, the row, the evidence). */
export function hashedFields(e: Omit<LogEntry, 'hash' | 'kid' | 'signature'>) {
  return {
    at: e.at,
    client_id: e.clientId,
    duration_ms: Math.fround(e.durationMs),
    error: e.error,
    issue: e.issue,
    method: e.method,
    path: e.path,
    prev_hash: e.prevHash,
    request_body: e.requestBody,
    request_hash: e.requestHash,
    request_signature: e.requestSignature,
    response_body: e.responseBody,
    response_hash: e.responseHash,
    seq: e.seq,
    service_id: e.serviceId,
    status: e.status,
    user_id: e.userId,
    x_road_id: e.xRoadId,
  };
}

export function entryHash(e: Omit<LogEntry, 'hash' | 'kid' | 'signature'>): string {
  return createHash('sha256').update(canonicalJson(hashedFields(e)), 'utf8').digest('hex');
}

const b64u = (b: Buffer | string) => Buffer.from(b).toString('base64url');

interface EntrySigner {
  kid: string;
  sign(hash: string): string;
}

const signers = new WeakMap<CryptoKey, EntrySigner>();

async function entrySigner(platform: Platform): Promise<EntrySigner> {
  const active = await platform.keys.activeKey('EdDSA');
  let s = signers.get(active.privateKey);
  if (!s) {
    // the public half goes into the log's own key table before anything is signed with it
    const jwk = (await platform.keys.jwks()).keys.find((k) => k.kid === active.kid);
    if (!jwk) throw new Error(`signing key ${active.kid} is not in the platform JWKS`);
    await platform.db.execute(sql`insert into exchange.log_key (kid, public_jwk) values (${active.kid}, ${JSON.stringify(jwk)}::jsonb)
      on conflict (kid) do nothing`);
    const key = KeyObject.from(active.privateKey);
    const header = b64u(JSON.stringify({ alg: 'EdDSA', kid: active.kid }));
    s = {
      kid: active.kid,
      sign(hash) {
        const input = `${header}.${b64u(hash)}`;
        return `${input}.${b64u(cryptoSign(null, Buffer.from(input), key))}`;
      },
    };
    signers.set(active.privateKey, s);
  }
  return s;
}

export interface PendingEntry {
  entry: LogEntryInput;
  access: DataAccess[];
}

interface Queued extends PendingEntry {
  seq?: number;
  error?: unknown;
}

interface Head {
  seq: number;
  hash: string;
}

/** Numbers, hashes and signs `items` as the entries after `head`; returns the rows to insert. */
function chain(items: Queued[], head: Head, signer: EntrySigner) {
  let seq = head.seq;
  let prevHash = head.hash;
  return items.map((it) => {
    seq++;
    const e = { ...it.entry, seq, prevHash };
    const hash = entryHash(e);
    prevHash = hash;
    it.seq = seq;
    return { ...hashedFields(e), hash, kid: signer.kid, signature: signer.sign(hash) };
  });
}

/** Where this process expects the log's head to be once the batches it sent are in. */
interface Prediction {
  head: Head | undefined;
}

/**
 * The statement platform.accessLog.record runs for `entries`, captured instead of run, so that
 * the access records go into the same single statement as the log entries (one round trip, one
 * commit) while their SQL stays the platform's. Refuses anything but exactly one statement.
 */
async function accessStatement(platform: Platform, entries: DataAccess[]): Promise<SQL | undefined> {
  if (!entries.length) return undefined;
  let captured: SQL | undefined;
  const capture = {
    execute: async (q: SQL) => {
      if (captured) throw new Error('platform.accessLog.record ran more than one statement');
      captured = q;
      return { rows: [] };
    },
  } as unknown as Db;
  await platform.accessLog.record(entries, capture);
  if (!captured) throw new Error('platform.accessLog.record ran no statement');
  return captured;
}

/** The true head from message_log_append_once's HN001 error, or undefined for any other error. */
function movedHead(e: unknown): Head | undefined {
  const err = e as { code?: string; detail?: string; cause?: { code?: string; detail?: string } };
  const pg = err.code === 'HN001' ? err : err.cause?.code === 'HN001' ? err.cause : undefined;
  const m = pg && /^(\d+) ([0-9a-f]{64})$/.exec(pg.detail ?? '');
  return m ? { seq: Number(m[1]), hash: m[2]! } : undefined;
}

/**
 * Writes `items`: entries and access records commit together or not at all.
 *
 * Fast path (this process knows where the head will be): one autocommitted statement, the access
 * records in a CTE and the entries through exchange.message_log_append_once (migration 0005),
 * which takes the log's lock and raises if the head moved. Locked path (first batch, or the head
 * moved): a transaction with the access records, then exchange.message_log_append (migration
 * 0004), which returns the true head when it moved; the entries are hashed again from it while the
 * lock is held, so the second call cannot miss.
 */
async function writeBatch(platform: Platform, prediction: Prediction, items: Queued[]): Promise<void> {
  const signer = await entrySigner(platform);
  const access = items.flatMap((it) => it.access);
  let predicted: Head | undefined;
  // the next batch of this process continues from the end of this one, even before it commits
  const numbered = (head: Head) => {
    const records = chain(items, head, signer);
    const last = records[records.length - 1]!;
    predicted = prediction.head = { seq: last.seq, hash: last.hash };
    return JSON.stringify(records);
  };
  try {
    const known = prediction.head;
    if (known) {
      const call = sql`select exchange.message_log_append_once(${known.seq}, ${known.hash}, ${numbered(known)}::jsonb)`;
      const accessSql = await accessStatement(platform, access);
      try {
        await platform.db.execute(accessSql ? sql`with access as (${accessSql}) ${call}` : call);
        return;
      } catch (e) {
        const moved = movedHead(e);
        if (!moved) throw e;
        // start the locked path from the head as it was a moment ago: most likely still right
        prediction.head = moved;
      }
    }
    await platform.db.transaction(async (tx) => {
      if (access.length) await platform.accessLog.record(access, tx as unknown as Db);
      let head = prediction.head ?? { seq: 0, hash: GENESIS_HASH };
      for (let attempt = 0; ; attempt++) {
        const [r] = await rows<{ appended: boolean; head_seq: string; head_hash: string }>(
          tx,
          sql`select appended, head_seq::text as head_seq, head_hash
              from exchange.message_log_append(${head.seq}, ${head.hash}, ${numbered(head)}::jsonb)`,
        );
        if (r!.appended) return;
        if (attempt) throw new Error('the message log head moved while its lock was held');
        head = { seq: Number(r!.head_seq), hash: r!.head_hash };
      }
    });
  } catch (e) {
    // what this batch predicted did not happen; the next batch learns the head from the database
    if (prediction.head === predicted) prediction.head = undefined;
    throw e;
  }
}

export interface MessageLogWriter {
  /** Resolves with the entry's seq once it is committed; rejects if it could not be written. */
  write(item: PendingEntry): Promise<number>;
  drain(): Promise<void>;
}

/**
 * The group-committed writer. A failed batch is retried entry by entry, so one entry the
 * database refuses does not take the others of its batch down with it. One group commit per
 * process: batches of one process go out one after another, each continuing the chain from the
 * previous, which keeps the fast path (one statement per batch) from missing.
 */
export function createMessageLogWriter(platform: Platform, opts: { maxBatch?: number } = {}): MessageLogWriter {
  const prediction: Prediction = { head: undefined };
  const gc: GroupCommit<Queued> = createGroupCommit<Queued>(
    async (items) => {
      try {
        await writeBatch(platform, prediction, items);
      } catch (err) {
        if (items.length === 1) {
          items[0]!.error = err;
          return;
        }
        for (const it of items) {
          try {
            await writeBatch(platform, prediction, [it]);
          } catch (e) {
            it.error = e;
          }
        }
      }
    },
    { maxBatch: opts.maxBatch ?? 500 },
  );
  return {
    async write(item) {
      const e = item.entry;
      const text = (v: string | null) => (v === null ? null : safeText(v));
      const entry: LogEntryInput = {
        ...e,
        xRoadId: safeText(e.xRoadId),
        clientId: safeText(e.clientId),
        serviceId: safeText(e.serviceId),
        userId: text(e.userId),
        issue: text(e.issue),
        method: safeText(e.method),
        path: safeText(e.path),
        error: text(e.error),
        requestSignature: text(e.requestSignature),
        requestBody: text(e.requestBody),
        responseBody: text(e.responseBody),
      };
      const q: Queued = { entry, access: item.access };
      await gc.add(q);
      if (q.error !== undefined || q.seq === undefined) throw q.error ?? new Error('message log entry was not written');
      return q.seq;
    },
    drain: () => gc.drain(),
  };
}
