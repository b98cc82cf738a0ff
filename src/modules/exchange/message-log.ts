import { createHash, KeyObject, sign as cryptoSign } from 'node:crypto';
import { sql } from 'drizzle-orm';
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
 * next one, all in one transaction. Across processes, exchange.message_log_append takes an
 * advisory lock and checks the head after it, so seq is gap-free and the chain one line.
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

export function entryHash(e: Omit<LogEntry, 'hash' | 'kid' | 'signature'>): string {
  const canonical = canonicalJson({
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
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
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
    return {
      seq,
      x_road_id: e.xRoadId,
      at: e.at,
      client_id: e.clientId,
      service_id: e.serviceId,
      user_id: e.userId,
      issue: e.issue,
      method: e.method,
      path: e.path,
      status: e.status,
      error: e.error,
      request_hash: e.requestHash,
      response_hash: e.responseHash,
      request_signature: e.requestSignature,
      request_body: e.requestBody,
      response_body: e.responseBody,
      duration_ms: Math.fround(e.durationMs),
      prev_hash: e.prevHash,
      hash,
      kid: signer.kid,
      signature: signer.sign(hash),
    };
  });
}

/** Where this process expects the log's head to be once the batches it sent are in. */
interface Prediction {
  head: Head | undefined;
}

/**
 * Writes `items` in one transaction: their access records, then the entries through
 * exchange.message_log_append (migration 0004), which holds the log's lock from that call to the
 * commit. The entries are hashed from the predicted head; if another process moved the head,
 * the call returns it and the entries are hashed again from it (the lock is held by then).
 */
async function writeBatch(platform: Platform, prediction: Prediction, items: Queued[]): Promise<void> {
  const signer = await entrySigner(platform);
  let predicted: Head | undefined;
  const g = globalThis as any; const F0 = performance.now(); let F1 = 0, F2 = 0, F3 = 0;
  try {
    await platform.db.transaction(async (tx) => {
      F1 = performance.now();
      const access = items.flatMap((it) => it.access);
      if (access.length) await platform.accessLog.record(access, tx as unknown as Db);
      F2 = performance.now();
      let head = prediction.head ?? { seq: 0, hash: GENESIS_HASH };
      for (let attempt = 0; ; attempt++) {
        const records = chain(items, head, signer);
        const last = records[records.length - 1]!;
        // the next batch of this process continues from here, even before this one commits
        predicted = prediction.head = { seq: last.seq, hash: last.hash };
        const [r] = await rows<{ appended: boolean; head_seq: string; head_hash: string }>(
          tx,
          sql`select appended, head_seq::text as head_seq, head_hash
              from exchange.message_log_append(${head.seq}, ${head.hash}, ${JSON.stringify(records)}::jsonb)`,
        );
        if (r!.appended) { F3 = performance.now(); return; }
        if (attempt) throw new Error('the message log head moved while its lock was held');
        head = { seq: Number(r!.head_seq), hash: r!.head_hash };
      }
    });
    const F4 = performance.now(); g.__fl = (g.__fl ?? 0) + 1; g.__fi = (g.__fi ?? 0) + items.length; g.__ft = (g.__ft ?? 0) + (F4 - F0); g.__tx = (g.__tx ?? 0) + (F1 - F0); g.__ac = (g.__ac ?? 0) + (F2 - F1); g.__ap = (g.__ap ?? 0) + (F3 - F2); g.__cm = (g.__cm ?? 0) + (F4 - F3);
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
 * database refuses does not take the others of its batch down with it.
 *
 * Two lanes (each a group commit) flush in turn: while one lane's transaction holds the log's
 * lock, the other's has already begun, written its access records and hashed its entries from
 * the head the first will leave, so the lock passes on at once. The lock orders them: one chain.
 */
export function createMessageLogWriter(platform: Platform, opts: { maxBatch?: number; lanes?: number } = {}): MessageLogWriter {
  const prediction: Prediction = { head: undefined };
  const flush = async (items: Queued[]) => {
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
  };
  const lanes = Array.from({ length: Math.max(1, opts.lanes ?? Number(process.env.TMP_LANES ?? 2)) }, () => ({
    gc: createGroupCommit<Queued>(flush, { maxBatch: opts.maxBatch ?? 500 }) as GroupCommit<Queued>,
    pending: 0,
  }));
  // the lane with the fewest waiting entries: an idle lane flushes at once, a busy one collects
  const lane = () => lanes.reduce((a, b) => (b.pending < a.pending ? b : a));
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
      const l = lane();
      l.pending++;
      try {
        await l.gc.add(q);
      } finally {
        l.pending--;
      }
      if (q.error !== undefined || q.seq === undefined) throw q.error ?? new Error('message log entry was not written');
      return q.seq;
    },
    drain: async () => {
      await Promise.all(lanes.map((l) => l.gc.drain()));
    },
  };
}
